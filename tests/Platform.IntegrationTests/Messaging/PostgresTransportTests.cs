using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Postgres;
using Platform.Infrastructure.Operations.Queues;

namespace Platform.IntegrationTests.Messaging;

public sealed class PostgresTransportTests(PlatformServers servers)
{
    private const string Queue = MessagingTestHost.Queue;

    [Fact]
    public async Task A_published_message_is_handled_once_with_trace_and_enqueue_headers_then_deleted()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));
        await host.StartAsync();
        using var listener = ListenToPlatformSources();
        using (var producer = new ActivitySource("Platform.Tests").StartActivity("produce"))
        {
            await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "m-1", """{"n":1}""")], CancellationToken.None);
        }

        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Count == 1), TimeSpan.FromSeconds(10), "the handler ran");
        await Eventually.TrueAsync(async () => await CountAsync(database, "queue_messages") == 0, TimeSpan.FromSeconds(10), "the message is completed");
        var message = script.Seen.Single();
        message.Body.ShouldBe("""{"n":1}""");
        message.Attempt.ShouldBe(1);
        message.Headers[MessageHeaders.TraceParent].ShouldStartWith("00-");
        message.Headers.ShouldContainKey(MessageHeaders.EnqueuedAt);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_same_message_id_is_queued_once()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));

        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "dup", "a"), new OutgoingMessage(Queue, "dup", "b")], CancellationToken.None);
        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "dup", "c")], CancellationToken.None);

        (await CountAsync(database, "queue_messages")).ShouldBe(1);
    }

    [Fact]
    public async Task A_publish_of_thousands_of_messages_loses_none_of_them()
    {
        // SOURCES §3.5: the source system's batch sender dropped the message that overflowed a batch.
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));

        await Publisher(host).PublishAsync(
            Enumerable.Range(0, 5_000).Select(i => new OutgoingMessage(Queue, $"first-page-{i}", new string('x', 200))).ToList(), CancellationToken.None);

        (await CountAsync(database, "queue_messages")).ShouldBe(5_000);
    }

    [Fact]
    public async Task A_message_published_in_a_transaction_exists_only_if_it_commits()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            await Publisher(host).PublishAsync(rolledBack, [new OutgoingMessage(Queue, "rolled-back", "x")], CancellationToken.None);
            await rolledBack.RollbackAsync();
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var committed = await connection.BeginTransactionAsync())
        {
            await Publisher(host).PublishAsync(committed, [new OutgoingMessage(Queue, "committed", "y")], CancellationToken.None);
            await committed.CommitAsync();
        }

        await using var check = await dataSource.OpenConnectionAsync();
        (await check.QueryAsync<string>("SELECT message_id FROM queue_messages")).ShouldBe(["committed"]);
    }

    [Fact]
    public async Task A_scheduled_message_is_not_claimable_before_its_time()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));
        var store = host.Services.GetRequiredService<PostgresQueueStore>();

        await Publisher(host).PublishAsync([
            new OutgoingMessage(Queue, "later", "x", DateTimeOffset.UtcNow.AddHours(1)),
            new OutgoingMessage(Queue, "due", "y", DateTimeOffset.UtcNow.AddMinutes(-1))], CancellationToken.None);

        var claimed = await store.ClaimAsync(Queue, 10, TimeSpan.FromMinutes(1), "test", CancellationToken.None);
        claimed.Select(c => c.Message.MessageId).ShouldBe(["due"]);
    }

    [Fact]
    public async Task An_expired_lease_makes_the_message_visible_again_and_the_stale_claim_cannot_settle_it()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete));
        var store = host.Services.GetRequiredService<PostgresQueueStore>();
        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "m", "x")], CancellationToken.None);

        var first = (await store.ClaimAsync(Queue, 1, TimeSpan.FromMilliseconds(200), "dead-consumer", CancellationToken.None)).Single();
        (await store.ClaimAsync(Queue, 1, TimeSpan.FromMinutes(1), "other", CancellationToken.None)).ShouldBeEmpty();
        ReceivedMessage? second = null;
        await Eventually.TrueAsync(async () =>
        {
            second = (await store.ClaimAsync(Queue, 1, TimeSpan.FromMinutes(1), "live-consumer", CancellationToken.None)).SingleOrDefault()?.Message;
            return second is not null;
        }, TimeSpan.FromSeconds(10), "the lease expires");

        second!.Attempt.ShouldBe(2);
        (await store.CompleteAsync(first.Message)).ShouldBeFalse();
        (await CountAsync(database, "queue_messages")).ShouldBe(1);
        (await store.CompleteAsync(second)).ShouldBeTrue();
        (await CountAsync(database, "queue_messages")).ShouldBe(0);
    }

    [Fact]
    public async Task A_failing_handler_is_retried_with_backoff_and_dead_lettered_after_max_attempts()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => throw new InvalidOperationException("boom"),
            new() { ["Messaging:Defaults:MaxAttempts"] = "3" });
        await host.StartAsync();

        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "poison", "x")], CancellationToken.None);

        await Eventually.TrueAsync(async () => await CountAsync(database, "dead_letters") == 1, TimeSpan.FromSeconds(20), "dead-lettered");
        var script = host.Services.GetRequiredService<HandlerScript>();
        script.Seen.Select(m => m.Attempt).ShouldBe([1, 2, 3]);
        (await CountAsync(database, "queue_messages")).ShouldBe(0);
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var reason = await connection.QuerySingleAsync<string>("SELECT reason FROM dead_letters");
        reason.ShouldContain("boom");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_handler_can_refuse_a_message_straight_to_the_dead_letters_and_the_operator_replay_requeues_it_once()
    {
        var database = await servers.CreateDatabaseAsync();
        var refuse = true;
        using var host = MessagingTestHost.Build(database, (_, _) =>
            Task.FromResult(refuse ? MessageOutcome.DeadLetter("unparseable") : MessageOutcome.Complete));
        await host.StartAsync();
        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "bad", "x")], CancellationToken.None);
        await Eventually.TrueAsync(async () => await CountAsync(database, "dead_letters") == 1, TimeSpan.FromSeconds(10), "dead-lettered");

        refuse = false;
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var ids = (await connection.QueryAsync<long>("SELECT id FROM dead_letters")).ToList();
        // The one replay mechanism, the operator route's: re-published through the publisher with a fresh message id.
        var deadLetters = ActivatorUtilities.CreateInstance<DeadLetters>(host.Services);
        (await deadLetters.ReplayAsync(Queue, new ReplaySelection(ids, false, ids.Count), "test", null, null, CancellationToken.None)).ShouldBe(ids);

        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Count == 2), TimeSpan.FromSeconds(10), "the replayed message is handled");
        // Replayed at most once.
        (await deadLetters.ReplayAsync(Queue, new ReplaySelection(ids, false, ids.Count), "test", null, null, CancellationToken.None)).ShouldBeEmpty();
        await host.StopAsync();
    }

    [Fact]
    public async Task Four_competing_consumers_handle_each_of_a_thousand_messages_exactly_once()
    {
        var database = await servers.CreateDatabaseAsync();
        var hosts = Enumerable.Range(0, 4)
            .Select(_ => MessagingTestHost.Build(database, async (_, ct) => { await Task.Yield(); return MessageOutcome.Complete; }))
            .ToList();
        foreach (var h in hosts)
        {
            await h.StartAsync();
        }

        await Publisher(hosts[0]).PublishAsync(
            Enumerable.Range(0, 1000).Select(i => new OutgoingMessage(Queue, $"m-{i}", i.ToString())).ToList(), CancellationToken.None);

        await Eventually.TrueAsync(async () => await CountAsync(database, "queue_messages") == 0, TimeSpan.FromSeconds(60), "all completed");
        var handled = hosts.SelectMany(h => h.Services.GetRequiredService<HandlerScript>().Seen).Select(m => m.MessageId).ToList();
        handled.Count.ShouldBe(1000);
        handled.ShouldBeUnique();
        hosts.Count(h => !h.Services.GetRequiredService<HandlerScript>().Seen.IsEmpty).ShouldBeGreaterThan(1);
        foreach (var h in hosts)
        {
            await h.StopAsync();
            h.Dispose();
        }
    }

    [Fact]
    public async Task Notify_wakes_a_consumer_long_before_its_poll_interval()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, (_, _) => Task.FromResult(MessageOutcome.Complete),
            new() { ["Messaging:PollIntervalMilliseconds"] = "60000" });
        await host.StartAsync();
        // Let the consumer go idle on its (one-minute) wait and the listener subscribe.
        await Eventually.TrueAsync(async () =>
        {
            await using var c = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'") > 0;
        }, TimeSpan.FromSeconds(10), "the listener is subscribed");
        await Task.Delay(300);

        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "wake", "x")], CancellationToken.None);

        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Count == 1), TimeSpan.FromSeconds(15), "handled via NOTIFY, not the 60 s poll");
        await host.StopAsync();
    }

    [Fact]
    public async Task Stopping_releases_in_flight_messages_without_counting_the_attempt()
    {
        var database = await servers.CreateDatabaseAsync();
        using var host = MessagingTestHost.Build(database, async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return MessageOutcome.Complete;
        }, new() { ["Messaging:ShutdownGraceSeconds"] = "0" });
        await host.StartAsync();
        await Publisher(host).PublishAsync([new OutgoingMessage(Queue, "long", "x")], CancellationToken.None);
        var script = host.Services.GetRequiredService<HandlerScript>();
        await Eventually.TrueAsync(() => Task.FromResult(script.Seen.Count == 1), TimeSpan.FromSeconds(10), "the handler started");

        await host.StopAsync();

        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(int Attempts, bool Visible)>(
            "SELECT attempts, visible_at <= now() FROM queue_messages WHERE message_id = 'long'");
        row.Attempts.ShouldBe(0);
        row.Visible.ShouldBeTrue();
    }

    [Fact]
    public void Invalid_queue_options_stop_the_host_naming_the_setting()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:Queues:test.queue:LeaseSeconds"] = "0" };
        using var host = MessagingTestHost.Build(new TestDatabase("Host=127.0.0.1"), (_, _) => Task.FromResult(MessageOutcome.Complete), settings);

        var error = Should.Throw<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MessagingOptions>>().Value);

        error.Message.ShouldContain("Messaging:Queues:test.queue:LeaseSeconds");
    }

    private static IMessagePublisher Publisher(IHost host) => host.Services.GetRequiredService<IMessagePublisher>();

    private static async Task<int> CountAsync(TestDatabase database, string table)
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {table}");
    }

    private static ActivityListener ListenToPlatformSources()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Platform", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
