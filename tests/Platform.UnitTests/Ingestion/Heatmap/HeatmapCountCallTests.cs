using Platform.Domain.Ingestion.Heatmap;
using static Platform.UnitTests.Ingestion.Heatmap.HeatmapTesting;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapCountCallTests
{
    /// <summary>30 dense ranges that can all be counted in parallel, then an adaptive tail.</summary>
    private static readonly HeatmapOptions Small = Options with { DenseZoneThreshold = 3_000, MaxPrice = 50_000 };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Count_calls_in_flight_never_exceed_the_concurrency(int concurrency)
    {
        var feed = new FakeFeed(FakeFeed.Generate(seed: 5, count: 3_000).Prices) { Latency = TimeSpan.FromMilliseconds(2) };

        await ScanAsync(feed, Small with { Concurrency = concurrency });

        feed.MaxInFlight.ShouldBe(concurrency);
    }

    [Fact]
    public async Task Two_pass_count_calls_in_flight_never_exceed_the_concurrency()
    {
        var feed = new FakeFeed(FakeFeed.Generate(seed: 5, count: 3_000).Prices) { Latency = TimeSpan.FromMilliseconds(1) };

        await ScanAsync(feed, Small with { UseTwoPassScan = true, CoarseStep = 1_000 });

        feed.MaxInFlight.ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_transiently_failing_count_is_retried_and_the_scan_succeeds()
    {
        var prices = FakeFeed.Generate(seed: 5, count: 3_000).Prices;
        var flaky = new PriceRange(300, 400);
        var feed = new FakeFeed(prices) { FailWhen = (range, attempt) => range == flaky && attempt <= 2 };

        var baseline = await ScanAsync(new FakeFeed(prices), Small);
        var result = await ScanAsync(feed, Small with { CountRetryDelay = TimeSpan.FromMilliseconds(1) });

        feed.AttemptsFor(flaky).ShouldBe(3);
        result.Chunks.ShouldBe(baseline.Chunks);
        result.Partitions.ShouldBe(baseline.Partitions);
        result.Stats.ApiCalls.ShouldBe(baseline.Stats.ApiCalls + 2);
        result.Stats.RangesScanned.ShouldBe(baseline.Stats.RangesScanned);
    }

    [Fact]
    public async Task A_count_still_failing_after_the_retries_fails_the_scan_with_its_exception()
    {
        var broken = new PriceRange(300, 400);
        var feed = new FakeFeed(FakeFeed.Generate(seed: 5, count: 3_000).Prices) { FailWhen = (range, _) => range == broken };

        var failure = await Should.ThrowAsync<FeedUnavailableException>(() => ScanAsync(feed, Small));

        failure.Message.ShouldContain("[300, 400)");
        feed.AttemptsFor(broken).ShouldBe(1 + Small.CountRetries);
    }

    [Fact]
    public async Task A_failing_adaptive_count_fails_the_scan()
    {
        var feed = new FakeFeed([25_000m]) { FailWhen = (range, _) => range.Min >= 3_000 };

        await Should.ThrowAsync<FeedUnavailableException>(() => ScanAsync(feed, Small with { CountRetries = 0 }));

        feed.Calls.Count(range => range.Min >= 3_000).ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_the_scan_stops_it_with_an_operation_cancelled_exception()
    {
        using var cancellation = new CancellationTokenSource();
        var feed = new FakeFeed([]) { Latency = TimeSpan.FromMilliseconds(1) };
        var scanner = new HeatmapScanner(Small, TimeProvider.System);
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => scanner.ScanAsync(feed.CountAsync, cancellation.Token));

        feed.Calls.ShouldBeEmpty();
    }
}
