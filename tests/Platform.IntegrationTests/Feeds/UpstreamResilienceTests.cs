using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>The per-feed resilience pipeline against the simulator's injected faults.</summary>
public sealed class UpstreamResilienceTests
{
    private static readonly string[] CountOnly = ["count"];

    [Fact]
    public async Task Three_server_errors_are_retried_and_the_call_succeeds()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var feed = TestFeeds.Simulator();
        using var recorder = new UpstreamRecorder(host.Services, feed.Id);
        await simulator.AddFaultAsync(new { kind = "server-error", count = 3, statusCode = 503, paths = CountOnly });

        var count = await host.Adapter(feed).CountAsync(TestFeeds.Everything, CancellationToken.None);

        count.ShouldBe(2_000);
        (await simulator.RequestsAsync("count")).ShouldBe(4);
        recorder.Of("platform.upstream.retries").Sum(m => m.Value).ShouldBe(3);
        recorder.Of("platform.upstream.request.duration").Select(m => m.Tag("outcome"))
            .ShouldBe(["transient_failure", "transient_failure", "transient_failure", "success"]);
    }

    [Fact]
    public async Task A_429_with_Retry_After_waits_as_long_as_the_supplier_asked_before_retrying()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        await simulator.AddFaultAsync(new { kind = "rate-limit", count = 1, retryAfterSeconds = 2, paths = CountOnly });
        var clock = Stopwatch.StartNew();

        var count = await host.Adapter(TestFeeds.Simulator()).CountAsync(TestFeeds.Everything, CancellationToken.None);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.95), "the 10 ms backoff must give way to Retry-After");
        count.ShouldBe(2_000);
        (await simulator.RequestsAsync("count")).ShouldBe(2);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var negativePrices = TestFeeds.Everything with { MinPrice = -100 };

        var failure = await Should.ThrowAsync<UpstreamHttpException>(
            () => host.Adapter(TestFeeds.Simulator()).CountAsync(negativePrices, CancellationToken.None));

        failure.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        failure.Message.ShouldContain("priceFrom");
        (await simulator.RequestsAsync("count")).ShouldBe(1);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_at_the_attempt_timeout_and_retried()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler, new Dictionary<string, string?> { ["Upstream:AttemptTimeoutSeconds"] = "0.5" });
        await simulator.AddFaultAsync(new { kind = "timeout", count = 1, latencyMs = 30_000, paths = CountOnly });
        var clock = Stopwatch.StartNew();

        var count = await host.Adapter(TestFeeds.Simulator()).CountAsync(TestFeeds.Everything, CancellationToken.None);

        count.ShouldBe(2_000);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        (await simulator.RequestsAsync("count")).ShouldBe(2);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_calls_then_fail_fast_and_it_closes_after_the_break()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler, new Dictionary<string, string?> { ["Upstream:CircuitBreakSeconds"] = "1" });
        var feed = TestFeeds.Simulator();
        var adapter = host.Adapter(feed);
        var monitor = host.Get<IUpstreamCircuitMonitor>();
        using var recorder = new UpstreamRecorder(host.Services, feed.Id);
        await simulator.AddFaultAsync(new { kind = "server-error", count = 1_000, statusCode = 500 });

        await Should.ThrowAsync<UpstreamUnavailableException>(() => adapter.CountAsync(TestFeeds.Everything, CancellationToken.None));
        var sentWhileClosed = await simulator.RequestsAsync("count");
        var fastFailure = await Should.ThrowAsync<UpstreamUnavailableException>(
            () => adapter.SearchAsync(TestFeeds.Everything, 0, 30, CancellationToken.None));

        sentWhileClosed.ShouldBe(5, "the breaker opens at the fifth failure within the sampling window");
        fastFailure.IsTransient.ShouldBeTrue();
        (await simulator.RequestsAsync("search")).ShouldBe(0);
        monitor.StateOf(feed.Id).ShouldBe(UpstreamCircuitState.Open);
        host.Get<IUpstreamCircuitMonitor>().StateOf(TestFeeds.Simulator().Id).ShouldBe(UpstreamCircuitState.Closed, "other feeds keep their own breaker");

        await simulator.ClearFaultsAsync();
        await Eventually.TrueAsync(async () => await SucceedsAsync(adapter), TimeSpan.FromSeconds(10), "the breaker lets a probe through after its break");
        monitor.StateOf(feed.Id).ShouldBe(UpstreamCircuitState.Closed);
        recorder.Of("platform.upstream.circuit.state_changes").Select(m => m.Tag("state")).ShouldBe(["open", "half_open", "closed"]);
    }

    [Fact]
    public async Task The_standard_resilience_handler_of_service_defaults_is_not_stacked_on_upstream_calls()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(
            simulator.CreateHandler,
            new Dictionary<string, string?> { ["Upstream:RetryCount"] = "0" },
            beforeFeeds: services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()));
        await simulator.AddFaultAsync(new { kind = "server-error", count = 1, statusCode = 503, paths = CountOnly });

        var failure = await Should.ThrowAsync<UpstreamHttpException>(
            () => host.Adapter(TestFeeds.Simulator()).CountAsync(TestFeeds.Everything, CancellationToken.None));

        failure.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await simulator.RequestsAsync("count")).ShouldBe(1);
    }

    private static async Task<bool> SucceedsAsync(IFeedAdapter adapter)
    {
        try
        {
            return await adapter.CountAsync(TestFeeds.Everything, CancellationToken.None) == 2_000;
        }
        catch (UpstreamUnavailableException)
        {
            return false;
        }
    }
}
