using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>Run capacity with the real worker: on the free plan a queued run starts when the running one completes.</summary>
public class RunCapacityPipelineTests(PlatformServers servers)
{
    /// <summary>The transport the pipeline runs over; <see cref="RunCapacityPipelineTestsOverServiceBus"/> runs every test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    [Fact]
    public async Task On_the_free_plan_a_queued_run_starts_when_the_running_one_completes_and_then_completes_too()
    {
        // Maintenance passes once at start and then not for an hour: only the completing run's own transaction can start
        // the queued one, which is what this test is about (the maintenance safety net has its own test).
        await using var harness = await PipelineHarness.StartAsync(servers, 500, new Dictionary<string, string?> { ["Maintenance:IntervalSeconds"] = "3600" }, transport: Transport);
        var secondFeed = Guid.CreateVersion7();
        await harness.QueryAsync<int>("""
            UPDATE organizations SET plan = 'free' WHERE id = @OrgId;
            INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps) VALUES (@secondFeed, @OrgId, 'second', 'simulator', @config::jsonb, @rps);
            SELECT 1;
            """, new { harness.OrgId, secondFeed, config = JsonSerializer.Serialize(new { baseUrl = SimulatorServer.BaseUrl }), rps = UpstreamRateLimit.Unlimited });
        // Unlimited like the harness's own feed: at the default 2 requests/s the second run's scan and pages alone took
        // close to the two minutes this test waits (206 count calls in one CI run), and capacity is what is tested here.
        var trigger = harness.Services.GetRequiredService<RunTrigger>();

        var first = await trigger.StartAsync(harness.OrgId, harness.FeedId, RunType.Full, "test", CancellationToken.None);
        var second = await trigger.StartAsync(harness.OrgId, secondFeed, RunType.Full, "test", CancellationToken.None);

        first.Outcome.ShouldBe(RunTriggerOutcome.Started);
        second.Outcome.ShouldBe(RunTriggerOutcome.Queued);
        (await harness.WaitForRunAsync(first.RunId!.Value, TimeSpan.FromMinutes(2))).Status.ShouldBe("completed");
        (await harness.WaitForRunAsync(second.RunId!.Value, TimeSpan.FromMinutes(2))).Status.ShouldBe("completed");
        // Never both at once: the second was created while the first ran, but its partitions' work began only after the first finished.
        var (firstCompleted, secondStarted) = (await harness.QueryAsync<(DateTimeOffset, DateTimeOffset)>(
            "SELECT (SELECT completed_at FROM pipeline_runs WHERE id = @a), (SELECT started_at FROM pipeline_runs WHERE id = @b)",
            new { a = first.RunId, b = second.RunId })).Single();
        secondStarted.ShouldBeGreaterThanOrEqualTo(firstCompleted);
    }
}

/// <summary>Every test of <see cref="RunCapacityPipelineTests"/> over the Service Bus transport (outbox, dispatcher, REST fake).</summary>
public sealed class RunCapacityPipelineTestsOverServiceBus(PlatformServers servers) : RunCapacityPipelineTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
