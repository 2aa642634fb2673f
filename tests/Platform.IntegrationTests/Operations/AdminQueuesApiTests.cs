using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Messaging;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.Messaging;

namespace Platform.IntegrationTests.Operations;

/// <summary>The operator's queue views over seeded transport rows, and dead-letter replay handled by a real consumer.</summary>
public sealed class AdminQueuesApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queue_figures_match_the_seeded_messages_and_dead_letters()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO queue_messages (queue, message_id, body, visible_at, claimed_by, attempts, max_attempts) VALUES
                    ('ingest.page', 'ready-old', '{}', now() - interval '90 seconds', NULL, 0, 5),
                    ('ingest.page', 'ready-new', '{}', now() - interval '1 second', NULL, 0, 5),
                    ('ingest.page', 'leased', '{}', now() + interval '2 minutes', 'worker-1', 1, 5),
                    ('ingest.page', 'retry-later', '{}', now() + interval '30 seconds', NULL, 1, 5),
                    ('ingest.consolidate', 'leased', '{}', now() + interval '5 minutes', 'worker-2', 1, 5);
                INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason, replayed_at) VALUES
                    ('ingest.page', 'd1', '{}', '{}', now(), 5, 'boom', NULL),
                    ('ingest.page', 'd2', '{}', '{}', now(), 5, 'boom', NULL),
                    ('ingest.page', 'd3', '{}', '{}', now(), 5, 'boom', now()),
                    ('webhooks.send', 'w1', '{}', '{}', now(), 5, 'gone', NULL);
                """);
        }

        var queues = (await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/queues", Ct)).GetProperty("queues")
            .EnumerateArray().ToDictionary(q => q.GetProperty("queue").GetString()!);

        queues.Keys.Order().ShouldBe(["ingest.consolidate", "ingest.page", "ingest.scan", "webhooks.send"]);
        var page = queues["ingest.page"];
        page.GetProperty("depth").GetInt64().ShouldBe(4);
        page.GetProperty("ready").GetInt64().ShouldBe(2);
        page.GetProperty("inFlight").GetInt64().ShouldBe(1);
        page.GetProperty("scheduled").GetInt64().ShouldBe(1);
        page.GetProperty("oldestReadyAgeSeconds").GetDouble().ShouldBeInRange(89, 150);
        page.GetProperty("deadLetters").GetInt64().ShouldBe(2);
        queues["ingest.consolidate"].GetProperty("inFlight").GetInt64().ShouldBe(1);
        queues["ingest.consolidate"].GetProperty("oldestReadyAgeSeconds").GetDouble().ShouldBe(0);
        queues["ingest.scan"].GetProperty("depth").GetInt64().ShouldBe(0);
        queues["webhooks.send"].GetProperty("deadLetters").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Dead_letters_list_newest_first_in_pages_and_replayed_ones_only_on_request()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason, replayed_at)
                SELECT 'ingest.page', 'm' || i, repeat('x', CASE WHEN i = 1 THEN 5000 ELSE 10 END), '{"traceparent":"00-abc"}', now(), 5, 'reason ' || i,
                       CASE WHEN i = 5 THEN now() END
                FROM generate_series(1, 5) i
                """);
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/queues/ingest.page/dead-letters?limit=3", Ct);
        var second = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/admin/queues/ingest.page/dead-letters?limit=3&cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}", Ct);
        var withReplayed = await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/queues/ingest.page/dead-letters?includeReplayed=true", Ct);

        first.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("messageId").GetString()).ShouldBe(["m4", "m3", "m2"]);
        var last = second.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        last.GetProperty("messageId").GetString().ShouldBe("m1");
        last.GetProperty("bodyTruncated").GetBoolean().ShouldBeTrue();
        last.GetProperty("body").GetString()!.Length.ShouldBe(4_000);
        last.GetProperty("headers").GetProperty("traceparent").GetString().ShouldBe("00-abc");
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        withReplayed.GetProperty("items").GetArrayLength().ShouldBe(5);
        await (await client.GetAsync("/api/v1/admin/queues/Bad%20Queue/dead-letters", Ct)).ShouldFailValidationOnAsync("queue");
    }

    [Fact]
    public async Task Replay_puts_a_dead_letter_back_on_its_queue_once_it_is_handled_and_the_replay_is_audited()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        var database = new TestDatabase(api.Factory.DatabaseConnectionString);
        var refuse = true;
        using var consumer = MessagingTestHost.Build(database, (_, _) =>
            Task.FromResult(refuse ? MessageOutcome.DeadLetter("unparseable") : MessageOutcome.Complete));
        await consumer.StartAsync(Ct);
        await consumer.Services.GetRequiredService<IMessagePublisher>().PublishAsync(
            [new OutgoingMessage(MessagingTestHost.Queue, "order-1", "{\"n\":1}"), new OutgoingMessage(MessagingTestHost.Queue, "order-2", "{\"n\":2}")], Ct);
        await Eventually.TrueAsync(async () => await CountAsync(api, "SELECT count(*) FROM dead_letters") == 2, TimeSpan.FromSeconds(15), "both dead-lettered");
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/admin/queues/{MessagingTestHost.Queue}/dead-letters", Ct);
        // Which message died first depends on the consumer's concurrency: read the oldest dead letter's body from the listing.
        var oldestItem = listed.GetProperty("items").EnumerateArray().Last();
        var oldest = oldestItem.GetProperty("id").GetInt64();
        var oldestBody = oldestItem.GetProperty("body").GetString()!;
        var otherBody = oldestBody == "{\"n\":1}" ? "{\"n\":2}" : "{\"n\":1}";
        refuse = false;

        var replay = await client.PostAsJsonAsync($"/api/v1/admin/queues/{MessagingTestHost.Queue}/dead-letters:replay", new { ids = new[] { oldest } }, Ct);
        var again = await client.PostAsJsonAsync($"/api/v1/admin/queues/{MessagingTestHost.Queue}/dead-letters:replay", new { ids = new[] { oldest } }, Ct);

        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await replay.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("replayed").GetInt32().ShouldBe(1);
        body.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ShouldBe([oldest]);
        (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("replayed").GetInt32().ShouldBe(0, "a replayed dead letter is not replayed twice");
        var script = consumer.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Any(m => m.Body == oldestBody && m.MessageId.Contains(":replay:"))),
            TimeSpan.FromSeconds(15), "the replayed message is handled");
        await Eventually.TrueAsync(async () => await CountAsync(api, "SELECT count(*) FROM queue_messages") == 0, TimeSpan.FromSeconds(15), "and completed");
        (await CountAsync(api, "SELECT count(*) FROM dead_letters WHERE replayed_at IS NOT NULL")).ShouldBe(1);
        (await CountAsync(api, "SELECT count(*) FROM audit_log WHERE action = 'dead_letters.replayed' AND target_id = 'test.queue' AND org_id IS NULL")).ShouldBe(1,
            "the replay is audited; the second request replayed nothing and changed nothing");

        var all = await (await client.PostAsJsonAsync($"/api/v1/admin/queues/{MessagingTestHost.Queue}/dead-letters:replay", new { all = true }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        all.GetProperty("replayed").GetInt32().ShouldBe(1);
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Any(m => m.Body == otherBody && m.MessageId.Contains(":replay:"))),
            TimeSpan.FromSeconds(15), "replay all handles the other one");
        await consumer.StopAsync(Ct);
    }

    [Fact]
    public async Task Replay_requests_are_validated()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        const string path = "/api/v1/admin/queues/ingest.page/dead-letters:replay";

        await (await client.PostAsJsonAsync(path, new { }, Ct)).ShouldFailValidationOnAsync("ids");
        await (await client.PostAsJsonAsync(path, new { ids = new[] { 1L }, all = true }, Ct)).ShouldFailValidationOnAsync("ids");
        await (await client.PostAsJsonAsync(path, new { ids = Enumerable.Range(1, 1_001).ToArray() }, Ct)).ShouldFailValidationOnAsync("ids");
        await (await client.PostAsJsonAsync(path, new { all = true, limit = 0 }, Ct)).ShouldFailValidationOnAsync("limit");
        await (await client.PostAsJsonAsync(path, new { ids = new[] { 1L }, limit = 5 }, Ct)).ShouldFailValidationOnAsync("limit");
        (await client.PostAsJsonAsync(path, new { ids = new[] { 999L } }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<int> CountAsync(TwoTenantApi api, string sql)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<int>(sql);
    }
}
