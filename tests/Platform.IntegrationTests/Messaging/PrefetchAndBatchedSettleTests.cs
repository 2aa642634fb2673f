using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.IntegrationTests.Messaging;

/// <summary>
/// A consumer claims ahead of its handler slots (up to BatchSize held locally) and deletes completions in batches.
/// These tests pin what that must not change: a message is acknowledged only after its handler returned, a
/// message that never started is given back at once on stop, and a lost acknowledgement means a redelivery.
/// </summary>
public sealed class PrefetchAndBatchedSettleTests(PlatformServers servers)
{
    private const string Queue = MessagingTestHost.Queue;

    [Fact]
    public async Task Stopping_releases_prefetched_messages_at_once_while_the_running_handler_finishes()
    {
        var database = await servers.CreateDatabaseAsync();
        var gate = new TaskCompletionSource();
        using var host = MessagingTestHost.Build(database, async (_, _) =>
        {
            await gate.Task;
            return MessageOutcome.Complete;
        }, new() { ["Messaging:Defaults:Concurrency"] = "1", ["Messaging:Defaults:BatchSize"] = "8" });
        await host.StartAsync();
        await Publish(host, Enumerable.Range(0, 5).Select(i => $"m-{i}"));
        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(async () => script.Seen.Count == 1 && (await RowsAsync(database)).All(r => r.Attempts == 1),
            TimeSpan.FromSeconds(10), "one handler runs and the other four messages are claimed ahead");

        var stopping = host.StopAsync();

        var running = script.Seen.Single().MessageId;
        await Eventually.TrueAsync(async () => (await RowsAsync(database)).Where(r => r.MessageId != running).All(r => r is { Attempts: 0, Visible: true }),
            TimeSpan.FromSeconds(10), "the prefetched messages are back on the queue, their attempt not counted, while the handler still runs");
        stopping.IsCompleted.ShouldBeFalse();
        (await RowsAsync(database)).Single(r => r.MessageId == running).Visible.ShouldBeFalse();
        gate.SetResult();
        await stopping;
        (await RowsAsync(database)).Select(r => r.MessageId).ShouldNotContain(running);
        script.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_is_acknowledged_only_after_its_handler_returns_even_while_others_are_deleted_in_batches()
    {
        var database = await servers.CreateDatabaseAsync();
        var gate = new TaskCompletionSource();
        using var host = MessagingTestHost.Build(database, async (message, _) =>
        {
            if (message.MessageId == "slow")
            {
                await gate.Task;
            }
            return MessageOutcome.Complete;
        }, new() { ["Messaging:Defaults:Concurrency"] = "4", ["Messaging:Defaults:BatchSize"] = "16" });
        await host.StartAsync();

        await Publish(host, ["slow", .. Enumerable.Range(0, 200).Select(i => $"m-{i}")]);

        await Eventually.TrueAsync(async () => (await RowsAsync(database)).Select(r => r.MessageId).SequenceEqual(["slow"]),
            TimeSpan.FromSeconds(30), "every other message is handled and deleted");
        var slow = (await RowsAsync(database)).Single();
        slow.Attempts.ShouldBe(1);
        slow.Visible.ShouldBeFalse();
        gate.SetResult();
        await Eventually.TrueAsync(async () => (await RowsAsync(database)).Count == 0, TimeSpan.FromSeconds(10), "the slow one is deleted once it returned");
        host.Services.GetRequiredService<HandlerScript>().Seen.Select(m => m.MessageId).ShouldBeUnique();
        await host.StopAsync();
    }

    [Fact]
    public async Task A_crash_between_handler_and_batched_delete_only_redelivers_the_message()
    {
        var database = await servers.CreateDatabaseAsync();
        await ExecuteAsync(database, """
            CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the process dies before acknowledging'; END $$;
            CREATE TRIGGER refuse_delete BEFORE DELETE ON queue_messages FOR EACH ROW EXECUTE FUNCTION refuse_delete();
            """);
        var shortLease = new Dictionary<string, string?> { ["Messaging:Defaults:LeaseSeconds"] = "2" };
        using (var crashing = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete), shortLease))
        {
            await crashing.StartAsync();
            await Publish(crashing, ["effect"]);
            var seen = crashing.Services.GetRequiredService<HandlerScript>().Seen;
            await Eventually.TrueAsync(() => Task.FromResult(!seen.IsEmpty), TimeSpan.FromSeconds(10), "the handler ran and its effects committed");
            await crashing.StopAsync();
        }
        (await RowsAsync(database)).Single().MessageId.ShouldBe("effect");

        await ExecuteAsync(database, "DROP TRIGGER refuse_delete ON queue_messages");
        using var next = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete), shortLease);
        await next.StartAsync();

        var redelivered = next.Services.GetRequiredService<HandlerScript>().Seen;
        await Eventually.TrueAsync(async () => (await RowsAsync(database)).Count == 0, TimeSpan.FromSeconds(20), "redelivered after the lease and completed");
        redelivered.Single().Attempt.ShouldBeGreaterThan(1);
        (await ScalarAsync(database, "SELECT count(*) FROM dead_letters")).ShouldBe(0);
        await next.StopAsync();
    }

    [Fact]
    public async Task A_prefetched_message_whose_lease_passed_to_another_consumer_is_not_run()
    {
        var database = await servers.CreateDatabaseAsync();
        var gate = new TaskCompletionSource();
        using var host = MessagingTestHost.Build(database, async (_, _) =>
        {
            await gate.Task;
            return MessageOutcome.Complete;
        }, new() { ["Messaging:Defaults:Concurrency"] = "1", ["Messaging:Defaults:BatchSize"] = "2", ["Messaging:Defaults:LeaseSeconds"] = "1" });
        await host.StartAsync();
        await Publish(host, ["first", "second"]);
        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(async () => script.Seen.Count == 1 && (await RowsAsync(database)).All(r => r.Attempts == 1),
            TimeSpan.FromSeconds(10), "one runs, the other waits locally");
        var waiting = (await RowsAsync(database)).Single(r => r.MessageId != script.Seen.Single().MessageId).MessageId;

        var store = host.Services.GetRequiredService<PostgresQueueStore>();
        IReadOnlyList<ClaimedMessage> stolen = [];
        await Eventually.TrueAsync(async () =>
        {
            stolen = await store.ClaimAsync(Queue, 10, TimeSpan.FromMinutes(5), "other-consumer", CancellationToken.None);
            return stolen.Any(c => c.Message.MessageId == waiting);
        }, TimeSpan.FromSeconds(10), "the waiting message's lease runs out and another consumer claims it");
        gate.SetResult();

        // Give the consumer time to reach the waiting message: it must check its lease and drop it, not run it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        script.Seen.Select(m => m.MessageId).ShouldNotContain(waiting);
        (await RowsAsync(database)).Single(r => r.MessageId == waiting).Attempts.ShouldBe(2);
        (await ScalarAsync(database, "SELECT count(*) FROM queue_messages WHERE claimed_by = 'other-consumer'")).ShouldBe(stolen.Count);
        await host.StopAsync();
    }

    private static Task Publish(IHost host, IEnumerable<string> ids) => host.Services.GetRequiredService<IMessagePublisher>()
        .PublishAsync([.. ids.Select(id => new OutgoingMessage(Queue, id, "x"))], CancellationToken.None);

    private static async Task<List<Row>> RowsAsync(TestDatabase database)
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Row>(
            "SELECT message_id AS MessageId, attempts AS Attempts, visible_at <= now() AS Visible FROM queue_messages ORDER BY id")];
    }

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    private sealed record Row(string MessageId, int Attempts, bool Visible);
}
