using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.IntegrationTests.Pipeline;

namespace Platform.IntegrationTests.Operations;

/// <summary>A supplier that fails every search: the worker records page and upstream failures and reports the open circuit.</summary>
public sealed class ErrorLogPipelineTests(PlatformServers servers)
{
    [Fact]
    public async Task Failing_pages_are_recorded_with_run_and_organization_and_the_open_circuit_makes_upstream_degraded()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 600, new Dictionary<string, string?>
        {
            ["Upstream:RetryCount"] = "0",
            // The scan's successful count calls leave the 5 s window before the page failures fill it and open the breaker.
            ["Upstream:CircuitMinimumThroughput"] = "2",
            ["Upstream:CircuitSamplingSeconds"] = "5",
            ["Upstream:CircuitBreakSeconds"] = "600",
            ["Pipeline:MaxPartitionAttempts"] = "10",
            ["Pipeline:PartitionRetryBaseSeconds"] = "1",
            ["Pipeline:PartitionRetryMaxSeconds"] = "1",
            ["ErrorLog:FlushIntervalMilliseconds"] = "50",
        });
        var runId = await harness.StartRunAsync();
        await Eventually.TrueAsync(async () => await harness.QuerySingleAsync<int>(
            "SELECT count(*) FROM run_partitions WHERE run_id = @runId", new { runId }) > 0, TimeSpan.FromMinutes(2), "partitions exist");
        await harness.Simulator.AddFaultAsync(new { kind = "server-error", count = 100_000, paths = new[] { "search" } });

        await harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(3), "partial");

        await Eventually.TrueAsync(async () => await harness.QuerySingleAsync<int>(
                "SELECT count(*) FROM error_log WHERE category = 'page' AND (context->>'partitionFailed')::boolean") > 0,
            TimeSpan.FromSeconds(20), "the failed partitions' last page failures are written");
        var pages = await harness.QueryAsync<(string Service, string Code, Guid? OrgId, string? TraceId, string RunId, string Message)>(
            "SELECT service, code, org_id, trace_id, context->>'runId', message FROM error_log WHERE category = 'page'");
        pages.ShouldAllBe(p => p.Service == "worker" && p.Code == "PAGE_FETCH_FAILED" && p.OrgId == harness.OrgId && p.RunId == runId.ToString());
        pages.ShouldContain(p => p.TraceId != null);
        var upstream = await harness.QueryAsync<string>("SELECT DISTINCT code FROM error_log WHERE category = 'upstream'");
        upstream.ShouldContain("UPSTREAM_FAILED");
        (await harness.QuerySingleAsync<int>("SELECT count(DISTINCT fingerprint) FROM error_log WHERE category = 'page'"))
            .ShouldBeLessThan(pages.Count, "occurrences of one failure share a fingerprint");

        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "upstream");
        var circuits = report.Entries["upstream"];
        circuits.Status.ShouldBe(HealthStatus.Degraded);
        circuits.Description!.ShouldContain($"feed {harness.FeedId}: circuit Open");
    }
}
