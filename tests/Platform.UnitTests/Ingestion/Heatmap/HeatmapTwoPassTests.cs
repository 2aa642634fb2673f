using Platform.Domain.Ingestion.Heatmap;
using static Platform.UnitTests.Ingestion.Heatmap.HeatmapTesting;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapTwoPassTests
{
    private static readonly HeatmapOptions TwoPass = Options with { UseTwoPassScan = true };

    /// <summary>Clusters with wide empty gaps between them, some straddling coarse-step boundaries.</summary>
    private static FakeFeed Clustered() => new(
        Cluster(3_050, 3_400, 120)
            .Concat(Cluster(19_900, 20_300, 300))
            .Concat(Cluster(47_123, 47_900, 80))
            .Concat(Cluster(119_700, 121_000, 400))
            .Concat(Cluster(249_000, 249_999, 5)));

    private static IEnumerable<decimal> Cluster(decimal from, decimal to, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Round(from + ((to - from) * i / count), 2));

    [Fact]
    public async Task Two_pass_finds_the_same_total_and_stones_as_the_single_pass_on_a_diamond_like_feed()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);

        var single = await ScanAsync(feed);
        var twoPass = await ScanAsync(feed, TwoPass);

        twoPass.TotalRecords.ShouldBe(single.TotalRecords);
        twoPass.Stats.UsedTwoPass.ShouldBeTrue();
        StonesCovered(twoPass, feed).ShouldBe(StonesCovered(single, feed));
    }

    [Fact]
    public async Task Two_pass_finds_the_same_total_and_stones_as_the_single_pass_on_a_clustered_feed()
    {
        var feed = Clustered();

        var single = await ScanAsync(feed);
        var twoPass = await ScanAsync(feed, TwoPass);

        twoPass.TotalRecords.ShouldBe(single.TotalRecords);
        twoPass.TotalRecords.ShouldBe(feed.Prices.Count);
        StonesCovered(twoPass, feed).ShouldBe(StonesCovered(single, feed));
        twoPass.Chunks.ShouldAllBe(chunk => chunk.Count == feed.CountIn(chunk.Range));
    }

    [Fact]
    public async Task Every_stone_falls_in_exactly_one_chunk_and_one_partition_after_two_passes()
    {
        var feed = Clustered();

        var result = await ScanAsync(feed, TwoPass);

        foreach (var price in feed.Prices)
        {
            result.Chunks.Count(chunk => chunk.Range.Contains(price)).ShouldBe(1, $"chunks holding {price}");
            result.Partitions.Count(partition => partition.Range.Contains(price)).ShouldBe(1, $"partitions holding {price}");
        }
    }

    [Fact]
    public async Task Binary_search_trims_a_region_to_within_100_dollars_of_its_stones()
    {
        var feed = new FakeFeed([121_234.50m, 121_980m]);

        var result = await ScanAsync(feed, TwoPass);

        result.Chunks[0].Range.Min.ShouldBeInRange(121_234.50m - 100, 121_234.50m);
        result.Chunks[^1].Range.Max.ShouldBeInRange(121_980.01m, 121_980m + 100);
        result.Stats.ApiCalls.ShouldBeGreaterThan(result.Stats.RangesScanned); // boundary probes are calls, not ranges
    }

    [Fact]
    public async Task Fine_scan_keeps_the_dense_zone_steps_below_the_threshold()
    {
        var feed = new FakeFeed(Cluster(12_000, 12_950, 500));

        var result = await ScanAsync(feed, TwoPass);

        result.Chunks.Select(chunk => chunk.Range)
            .ShouldBe(Enumerable.Range(120, 10).Select(k => new PriceRange(k * 100, (k + 1) * 100)));
    }

    [Fact]
    public async Task Empty_feed_in_two_passes_costs_only_the_coarse_scan()
    {
        var feed = FakeFeed.Empty();

        var result = await ScanAsync(feed, TwoPass);

        result.Stats.ApiCalls.ShouldBe(50); // 250 000 / 5 000
        result.Partitions.ShouldBe([new HeatmapPartition("p-0001", 0, 250_000, 0)]);
    }

    private static List<decimal> StonesCovered(HeatmapResult result, FakeFeed feed) =>
        [.. result.Chunks.SelectMany(chunk => feed.PricesIn(chunk.Range)).Order()];
}
