using Platform.Domain.Ingestion.Heatmap;

namespace Platform.UnitTests.Ingestion.Heatmap;

internal static class HeatmapTesting
{
    /// <summary>Defaults of PLATFORM §11, without retry delays so failing tests stay fast.</summary>
    public static HeatmapOptions Options => new() { CountRetryDelay = TimeSpan.Zero };

    public static Task<HeatmapResult> ScanAsync(FakeFeed feed, HeatmapOptions? options = null) =>
        new HeatmapScanner(options ?? Options, TimeProvider.System).ScanAsync(feed.CountAsync, TestContext.Current.CancellationToken);
}
