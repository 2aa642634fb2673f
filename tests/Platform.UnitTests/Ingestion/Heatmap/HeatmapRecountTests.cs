using System.Text.Json;
using Platform.Domain.Ingestion.Heatmap;
using static Platform.UnitTests.Ingestion.Heatmap.HeatmapTesting;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapRecountTests
{
    [Fact]
    public async Task Recount_keeps_the_snapshot_partitions_and_refreshes_their_estimates()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);
        var snapshot = await ScanAsync(feed);
        var later = feed.With([249_500m, 249_501m, 12_345.67m]);

        var recounted = await new HeatmapScanner(Options, TimeProvider.System)
            .RecountAsync(snapshot.Partitions, later.CountAsync, TestContext.Current.CancellationToken);

        recounted.Partitions.Select(p => (p.PartitionId, p.MinPrice, p.MaxPrice))
            .ShouldBe(snapshot.Partitions.Select(p => (p.PartitionId, p.MinPrice, p.MaxPrice)));
        recounted.Partitions.ShouldAllBe(partition => partition.EstimatedRecords == later.CountIn(partition.Range));
        recounted.TotalRecords.ShouldBe(20_003);
        recounted.Stats.ApiCalls.ShouldBe(snapshot.Partitions.Count);
        later.Calls.OrderBy(range => range.Min).ShouldBe(snapshot.Partitions.Select(partition => partition.Range));
    }

    [Fact]
    public async Task Recount_keeps_partitions_that_are_now_empty_so_ids_stay_stable()
    {
        HeatmapPartition[] snapshot = [new("p-0001", 0, 1_000, 40), new("p-0002", 1_000, 250_000, 60)];
        var feed = new FakeFeed([10m, 20m]);

        var recounted = await new HeatmapScanner(Options, TimeProvider.System)
            .RecountAsync(snapshot, feed.CountAsync, TestContext.Current.CancellationToken);

        recounted.Partitions.ShouldBe([new HeatmapPartition("p-0001", 0, 1_000, 2), new HeatmapPartition("p-0002", 1_000, 250_000, 0)]);
        recounted.Chunks.ShouldBe([new DensityChunk(new PriceRange(0, 1_000), 2)]);
    }

    [Fact]
    public async Task Recount_calls_in_flight_never_exceed_the_concurrency()
    {
        var snapshot = Enumerable.Range(0, 30)
            .Select(k => new HeatmapPartition(HeatmapPartition.IdFor(k + 1), k * 100, (k + 1) * 100, 1))
            .ToList();
        var feed = new FakeFeed([150m]) { Latency = TimeSpan.FromMilliseconds(2) };

        await new HeatmapScanner(Options, TimeProvider.System)
            .RecountAsync(snapshot, feed.CountAsync, TestContext.Current.CancellationToken);

        feed.MaxInFlight.ShouldBe(3);
    }

    [Fact]
    public async Task A_result_survives_a_json_round_trip_as_a_snapshot()
    {
        var result = await ScanAsync(FakeFeed.Generate(seed: 42, count: 5_000));

        var json = JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
        var restored = JsonSerializer.Deserialize<HeatmapResult>(json, JsonSerializerOptions.Web)!;

        restored.Chunks.ShouldBe(result.Chunks);
        restored.Partitions.ShouldBe(result.Partitions);
        restored.TotalRecords.ShouldBe(result.TotalRecords);
        restored.Stats.ShouldBe(result.Stats);
    }
}
