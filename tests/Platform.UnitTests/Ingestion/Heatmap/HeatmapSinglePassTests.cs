using Platform.Domain.Ingestion.Heatmap;
using static Platform.UnitTests.Ingestion.Heatmap.HeatmapTesting;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapSinglePassTests
{
    /// <summary>No dense zone, so every range is adaptive from $0.</summary>
    private static readonly HeatmapOptions AdaptiveOnly = Options with { DenseZoneThreshold = 0 };

    [Fact]
    public async Task Dense_zone_ranges_are_100_dollars_wide_and_the_last_ends_at_the_threshold()
    {
        var feed = FakeFeed.Generate(seed: 7, count: 5_000);

        await ScanAsync(feed);

        var dense = feed.Calls.Where(range => range.Min < 20_000).OrderBy(range => range.Min).ToList();
        dense.ShouldBe(Enumerable.Range(0, 200).Select(k => new PriceRange(k * 100, (k + 1) * 100)));
        feed.Calls.ShouldNotContain(range => range.Min < 20_000 && range.Max > 20_000);
    }

    [Fact]
    public async Task Dense_zone_starting_off_the_grid_still_ends_exactly_at_the_threshold()
    {
        var feed = FakeFeed.Empty();

        await ScanAsync(feed, Options with { MinPrice = 50, DenseZoneThreshold = 1_000, MaxPrice = 2_000 });

        var dense = feed.Calls.Where(range => range.Min < 1_000).OrderBy(range => range.Min).ToList();
        dense[0].ShouldBe(new PriceRange(50, 150));
        dense.SkipLast(1).ShouldAllBe(range => range.Width == 100);
        dense[^1].ShouldBe(new PriceRange(950, 1_000)); // shortened so it does not straddle the threshold
    }

    [Fact]
    public async Task Adaptive_zone_starts_at_the_threshold_with_the_initial_step()
    {
        var feed = FakeFeed.Generate(seed: 7, count: 5_000);

        await ScanAsync(feed);

        feed.Calls.First(range => range.Min >= 20_000).ShouldBe(new PriceRange(20_000, 20_500));
    }

    [Fact]
    public async Task Adaptive_step_aims_at_the_target_per_chunk_and_zooms_through_empty_space()
    {
        // 1000 stones in the first range halve the step; 50 in the next multiply it by 10; then nothing.
        var feed = new FakeFeed([.. Enumerable.Repeat(100m, 1_000), .. Enumerable.Repeat(600m, 50)]);

        await ScanAsync(feed, AdaptiveOnly with { MaxPrice = 10_000 });

        feed.Calls.ShouldBe([
            new PriceRange(0, 500),       // 1000 stones: step = 500 × 500 / 1000 = 250
            new PriceRange(500, 750),     // 50 stones:   step = 250 × 500 / 50 = 2500
            new PriceRange(750, 3_250),   // empty:       step = 2500 × 5 = 12 500
            new PriceRange(3_250, 10_000), // clipped at MaxPrice
        ]);
    }

    [Fact]
    public async Task Adaptive_step_never_shrinks_below_the_minimum_step()
    {
        var feed = new FakeFeed(Enumerable.Repeat(100m, 10_000));

        await ScanAsync(feed, AdaptiveOnly with { MaxPrice = 5_000 });

        feed.Calls[1].ShouldBe(new PriceRange(500, 700)); // 500 × 500 / 10 000 = 25, clamped to 200
    }

    [Fact]
    public async Task Adaptive_step_never_grows_beyond_the_maximum_step()
    {
        var feed = new FakeFeed([100m]);

        await ScanAsync(feed, AdaptiveOnly);

        feed.Calls[1].ShouldBe(new PriceRange(500, 50_500)); // 500 × 500 / 1 = 250 000, clamped to 50 000
    }

    [Fact]
    public async Task Empty_range_zooms_out_five_times_the_step_up_to_100_000()
    {
        var feed = FakeFeed.Empty();

        await ScanAsync(feed, AdaptiveOnly with { MaxPrice = 1_000_000 });

        feed.Calls.Take(7).Select(range => range.Width).ShouldBe([500m, 2_500m, 12_500m, 62_500m, 100_000m, 100_000m, 100_000m]);
        feed.Calls[^1].Max.ShouldBe(1_000_000);
    }

    [Fact]
    public async Task Ranges_are_contiguous_and_clipped_at_the_max_price()
    {
        var feed = FakeFeed.Generate(seed: 3, count: 2_000);

        await ScanAsync(feed, Options with { MaxPrice = 20_750 });

        var ranges = feed.Calls.OrderBy(range => range.Min).ToList();
        ranges[0].Min.ShouldBe(0);
        ranges.Zip(ranges.Skip(1)).ShouldAllBe(pair => pair.First.Max == pair.Second.Min);
        ranges[^1].ShouldBe(new PriceRange(20_500, 20_750));
    }

    [Fact]
    public async Task A_price_exactly_on_a_boundary_belongs_to_the_upper_range()
    {
        var feed = new FakeFeed([100m, 20_000m, 250_000m]);

        var result = await ScanAsync(feed);

        result.Chunks.Select(chunk => chunk.Range).ShouldBe([new PriceRange(100, 200), new PriceRange(20_000, 20_500)]);
        result.TotalRecords.ShouldBe(2); // $250 000 is outside [0, 250 000)
    }

    [Fact]
    public async Task Every_stone_in_the_span_falls_in_exactly_one_chunk_and_one_partition()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000).With([0m, 100m, 20_000m, 249_999m]);

        var result = await ScanAsync(feed);

        foreach (var price in feed.Prices)
        {
            result.Chunks.Count(chunk => chunk.Range.Contains(price)).ShouldBe(1, $"chunks holding {price}");
            result.Partitions.Count(partition => partition.Range.Contains(price)).ShouldBe(1, $"partitions holding {price}");
        }
    }

    [Fact]
    public async Task Chunk_counts_add_up_to_the_true_total()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);

        var result = await ScanAsync(feed);

        result.TotalRecords.ShouldBe(feed.CountIn(new PriceRange(0, 250_000)));
        result.Chunks.Sum(chunk => chunk.Count).ShouldBe(result.TotalRecords);
        result.Chunks.ShouldAllBe(chunk => chunk.Count > 0 && chunk.Count == feed.CountIn(chunk.Range));
        result.Stats.NonEmptyRanges.ShouldBe(result.Chunks.Count);
        result.Stats.RangesScanned.ShouldBe(feed.Calls.Count);
        result.Stats.ApiCalls.ShouldBe(feed.Calls.Count);
        result.Stats.UsedTwoPass.ShouldBeFalse();
    }

    [Fact]
    public async Task Chunks_and_partitions_are_ordered_by_price()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);

        var result = await ScanAsync(feed);

        result.Chunks.Select(chunk => chunk.Range.Min).ShouldBeInOrder(SortDirection.Ascending);
        result.Partitions.Select(partition => partition.MinPrice).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Empty_feed_yields_one_empty_partition_over_the_whole_span()
    {
        var result = await ScanAsync(FakeFeed.Empty());

        result.Chunks.ShouldBeEmpty();
        result.TotalRecords.ShouldBe(0);
        result.Partitions.ShouldBe([new HeatmapPartition("p-0001", 0, 250_000, 0)]);
    }

    [Fact]
    public async Task Same_feed_gives_the_same_map_and_partitions_whatever_the_timing()
    {
        var prices = FakeFeed.Generate(seed: 11, count: 8_000).Prices;

        var first = await ScanAsync(new FakeFeed(prices) { RandomLatency = true });
        var second = await ScanAsync(new FakeFeed(prices) { RandomLatency = true });

        second.Chunks.ShouldBe(first.Chunks);
        second.Partitions.ShouldBe(first.Partitions);
        second.Stats.ApiCalls.ShouldBe(first.Stats.ApiCalls);
    }

    [Fact]
    public async Task Duration_is_measured_with_the_injected_time_provider()
    {
        var scanner = new HeatmapScanner(Options, new SteppingTimeProvider(TimeSpan.FromSeconds(3)));

        var result = await scanner.ScanAsync(FakeFeed.Empty().CountAsync, TestContext.Current.CancellationToken);

        result.Stats.Duration.ShouldBe(TimeSpan.FromSeconds(3));
    }
}
