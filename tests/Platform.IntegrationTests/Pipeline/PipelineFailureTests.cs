using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Pages;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Outbox;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>The pipeline under duplicates, supplier faults, failed partitions and failed enqueues.</summary>
public class PipelineFailureTests(PlatformServers servers)
{
    /// <summary>The transport the pipeline runs over; <see cref="PipelineFailureTestsOverServiceBus"/> runs every test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Upstream retries in milliseconds so fault tests stay fast; Retry-After is still honoured.</summary>
    private static readonly Dictionary<string, string?> QuickRetries = new()
    {
        ["Upstream:RetryBaseDelaySeconds"] = "0.01",
        ["Upstream:RetryMaxDelaySeconds"] = "0.05",
        ["Upstream:RetryJitterMilliseconds"] = "5",
        ["Pipeline:PartitionRetryBaseSeconds"] = "1",
        ["Pipeline:PartitionRetryMaxSeconds"] = "2",
    };

    [Fact]
    public async Task Duplicate_and_out_of_order_page_messages_are_acknowledged_without_state_change()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 600, transport: Transport);
        var runId = await harness.StartRunAsync();
        var run = await harness.WaitForRunAsync(runId, RunTimeout);
        var before = await SnapshotAsync(harness);
        var partition = await harness.QuerySingleAsync<(string Id, decimal Min, decimal Max)>(
            "SELECT partition_id, min_price, max_price FROM run_partitions WHERE run_id = @runId ORDER BY partition_id LIMIT 1", new { runId });

        foreach (var offset in new[] { 0, 30, 9_999 })
        {
            var page = new PageMessage(runId, harness.OrgId, harness.FeedId, partition.Id, partition.Min, partition.Max, run.UpdatedFrom, run.UpdatedTo, offset, 30);
            await using var scope = harness.Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<PageHandler>().HandleAsync(
                new ReceivedMessage(1, QueueNames.IngestPage, page.MessageId, PipelineJson.Serialize(page), new Dictionary<string, string>(), DateTimeOffset.UtcNow, 1, 5),
                CancellationToken.None);
            outcome.ShouldBe(MessageOutcome.Complete);
        }

        (await SnapshotAsync(harness)).ShouldBe(before);
    }

    [Fact]
    public async Task Twenty_percent_supplier_faults_still_complete_the_run_with_the_exact_catalog()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 2_000, QuickRetries, transport: Transport);
        await harness.Simulator.AddFaultAsync(new { kind = "server-error", rate = 0.2 });

        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        run.Status.ShouldBe("completed");
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(2_000);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events")).ShouldBe(2_000);
        (await harness.Simulator.RequestsAsync("search")).ShouldBeGreaterThan(2_000 / 30);
    }

    [Fact]
    public async Task Failed_partitions_block_consolidation_until_retried_then_the_run_completes()
    {
        var settings = new Dictionary<string, string?>(QuickRetries) { ["Pipeline:MaxPartitionAttempts"] = "2", ["Upstream:RetryCount"] = "0" };
        await using var harness = await PipelineHarness.StartAsync(servers, 1_500, settings, transport: Transport);
        var runId = await harness.StartRunAsync();
        await Eventually.TrueAsync(async () => await harness.QuerySingleAsync<int>(
            "SELECT count(*) FROM run_partitions WHERE run_id = @runId", new { runId }) > 0, RunTimeout, "partitions exist");
        await harness.Simulator.AddFaultAsync(new { kind = "server-error", count = 100_000, paths = new[] { "search" } });

        var partial = await harness.WaitForRunAsync(runId, RunTimeout, "partial");
        partial.PartitionsFailed.ShouldBeGreaterThan(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds")).ShouldBe(0);
        var control = harness.Services.GetRequiredService<RunControl>();
        (await control.ConsolidateAsync(harness.OrgId, runId, force: false, CancellationToken.None)).Outcome.ShouldBe(RunControlOutcome.Conflict);

        await harness.Simulator.ClearFaultsAsync();
        var retried = await control.RetryFailedPartitionsAsync(harness.OrgId, runId, CancellationToken.None);

        retried.Affected.ShouldBe(partial.PartitionsFailed);
        (await harness.WaitForRunAsync(runId, RunTimeout)).Status.ShouldBe("completed");
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(1_500);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events")).ShouldBe(1_500);
    }

    [Fact]
    public async Task A_failing_enqueue_rolls_back_the_page_so_no_partition_stalls()
    {
        // Fewer failures than a message's attempts (5), so every failed page is redelivered rather than dead-lettered.
        var failures = new FailingPublisher.Budget(4);
        await using var harness = await PipelineHarness.StartAsync(servers, 1_000, QuickRetries, services =>
            services.AddSingleton<IMessagePublisher>(sp => new FailingPublisher(TransportPublisher(sp), failures)), transport: Transport);

        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        failures.Remaining.ShouldBe(0);
        run.Status.ShouldBe("completed");
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(1_000);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events")).ShouldBe(1_000);
    }

    /// <summary>The configured transport's own publisher (the outbox with Service Bus), for wrapping.</summary>
    private static IMessagePublisher TransportPublisher(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MessagingOptions>>().Value.UsesServiceBus
            ? services.GetRequiredService<OutboxPublisher>()
            : services.GetRequiredService<PostgresPublisher>();

    private static Task<string> SnapshotAsync(PipelineHarness harness) => harness.QuerySingleAsync<string>("""
        SELECT md5(
            (SELECT string_agg(partition_id || ':' || next_offset || ':' || completed || ':' || failed || ':' || attempts, ',' ORDER BY partition_id) FROM run_partitions) ||
            (SELECT count(*) || ':' || max(updated_at) FROM raw_items) ||
            (SELECT count(*) || ':' || max(updated_at) FROM diamonds) ||
            (SELECT count(*) FROM queue_messages) || ':' || (SELECT count(*) FROM outbox_messages))
        """);

    /// <summary>Throws on the page handler's next-page enqueues (offset &gt; 0) while its budget lasts, as a broker outage would.</summary>
    private sealed class FailingPublisher(IMessagePublisher inner, FailingPublisher.Budget budget) : IMessagePublisher
    {
        public sealed class Budget(int failures)
        {
            private int _remaining = failures;
            public int Remaining => Volatile.Read(ref _remaining);
            public bool TryConsume()
            {
                while (true)
                {
                    var remaining = Volatile.Read(ref _remaining);
                    if (remaining <= 0)
                    {
                        return false;
                    }
                    if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
                    {
                        return true;
                    }
                }
            }
        }

        public Task PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => inner.PublishAsync(messages, cancellationToken);

        public Task PublishAsync(NpgsqlTransaction transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            messages.Count == 1 && messages[0].Queue == QueueNames.IngestPage && !messages[0].MessageId.EndsWith(":0", StringComparison.Ordinal) && budget.TryConsume()
                ? throw new InvalidOperationException("Injected enqueue failure.")
                : inner.PublishAsync(transaction, messages, cancellationToken);
    }
}

/// <summary>Every test of <see cref="PipelineFailureTests"/> over the Service Bus transport (outbox, dispatcher, REST fake).</summary>
public sealed class PipelineFailureTestsOverServiceBus(PlatformServers servers) : PipelineFailureTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
