using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.FeedSimulator.Admin;

namespace Platform.FeedSimulator.Tests.Admin;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_count_requests_per_endpoint_and_outcome_and_the_faults_injected()
    {
        await using var simulator = SimulatorHost.Start();
        await simulator.PostAsync("/admin/faults", new { kind = "server-error", count = 2 });

        for (var call = 0; call < 5; call++)
        {
            await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);
        }
        await simulator.Client.GetAsync("/api/v1/diamonds?limit=51", SimulatorHost.Cancellation);
        await simulator.Client.GetAsync("/api/v1/diamonds/nope", SimulatorHost.Cancellation);

        var stats = (await simulator.Client.GetFromJsonAsync<AdminStats>("/admin/stats", SimulatorHost.Cancellation))!;
        stats.Requests["count"].ShouldBe(new Dictionary<string, long> { ["ok"] = 3, ["server_error"] = 2 });
        stats.Requests["search"]["invalid"].ShouldBe(1);
        stats.Requests["get"]["not_found"].ShouldBe(1);
        stats.FaultsInjected["server-error"]["count"].ShouldBe(2);
        stats.TotalRequests.ShouldBe(7);
        stats.Catalogue.ShouldBe(new CatalogueInfo(42, SimulatorHost.DefaultSize, 0));
    }

    [Fact]
    public async Task Requests_are_counted_on_the_simulator_meter_with_endpoint_and_outcome_tags()
    {
        await using var simulator = SimulatorHost.Start();
        var meterFactory = simulator.Services.GetRequiredService<IMeterFactory>();
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "feedsim.requests")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            measurements.Add((value, string.Join(",", tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}")))));
        listener.Start();

        await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);

        measurements.ShouldContain((1L, "endpoint=count,outcome=ok"));
    }

    [Fact]
    public async Task Clearing_stats_starts_the_tallies_over()
    {
        await using var simulator = SimulatorHost.Start();
        await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);

        await simulator.Client.DeleteAsync("/admin/stats", SimulatorHost.Cancellation);

        (await simulator.Client.GetFromJsonAsync<AdminStats>("/admin/stats", SimulatorHost.Cancellation))!.TotalRequests.ShouldBe(0);
    }
}
