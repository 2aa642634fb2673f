namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// The two-pass scan for sparse feeds: a coarse pass finds which stretches of the price axis hold stones, a binary
/// search trims each stretch's empty edges down to the dense-zone step, and a fine adaptive scan maps only the
/// trimmed stretches. Every dollar it skips was counted empty, so it finds exactly the stones the single pass finds.
/// </summary>
internal static class TwoPassScan
{
    public static async Task<List<DensityChunk>> RunAsync(RangeCountSession session, HeatmapOptions options)
    {
        var coarse = await PriceSpanScan.ScanDenseZoneAsync(session, options.MinPrice, options.MaxPrice, options.CoarseStep);
        var regions = ContiguousRegions(coarse);

        var resolution = options.DenseZoneStep;
        var trimmed = await Task.WhenAll(regions.Select(region => TrimAsync(session, region, resolution)));

        var policy = AdaptiveStepPolicy.FineScan(options);
        var fine = await Task.WhenAll(trimmed.Select(region =>
            PriceSpanScan.RunAsync(session, region, options.DenseZoneThreshold, options.DenseZoneStep, policy)));

        return [.. fine.SelectMany(chunks => chunks)];
    }

    /// <summary>A region is a run of adjacent non-empty coarse ranges: its first and last range bound the search.</summary>
    private sealed record Region(PriceRange First, PriceRange Last);

    private static List<Region> ContiguousRegions(List<DensityChunk> nonEmptyCoarseRanges)
    {
        var regions = new List<Region>();
        foreach (var chunk in nonEmptyCoarseRanges)
        {
            if (regions.Count > 0 && regions[^1].Last.Max == chunk.Range.Min)
                regions[^1] = regions[^1] with { Last = chunk.Range };
            else
                regions.Add(new Region(chunk.Range, chunk.Range));
        }

        return regions;
    }

    private static async Task<PriceRange> TrimAsync(RangeCountSession session, Region region, decimal resolution)
    {
        var start = FindStartAsync(session, region.First, resolution);
        var end = FindEndAsync(session, region.Last, resolution);
        return new PriceRange(await start, await end);
    }

    /// <summary>
    /// The highest price <c>s</c> with <c>[first.Min, s)</c> empty, to within <paramref name="resolution"/>.
    /// Invariant: <c>[first.Min, low)</c> is empty and <c>[first.Min, high)</c> is not.
    /// </summary>
    private static async Task<decimal> FindStartAsync(RangeCountSession session, PriceRange first, decimal resolution)
    {
        decimal low = first.Min, high = first.Max;
        while (high - low > resolution)
        {
            var mid = Midpoint(low, high, resolution);
            if (await session.ProbeAsync(new PriceRange(low, mid)) == 0)
                low = mid;
            else
                high = mid;
        }

        return low;
    }

    /// <summary>
    /// The lowest price <c>e</c> with <c>[e, last.Max)</c> empty, to within <paramref name="resolution"/>.
    /// Invariant: <c>[low, last.Max)</c> is not empty and <c>[high, last.Max)</c> is.
    /// </summary>
    private static async Task<decimal> FindEndAsync(RangeCountSession session, PriceRange last, decimal resolution)
    {
        decimal low = last.Min, high = last.Max;
        while (high - low > resolution)
        {
            var mid = Midpoint(low, high, resolution);
            if (await session.ProbeAsync(new PriceRange(mid, high)) == 0)
                high = mid;
            else
                low = mid;
        }

        return high;
    }

    /// <summary>A whole-step point strictly between <paramref name="low"/> and <paramref name="high"/> (which are more than a step apart).</summary>
    private static decimal Midpoint(decimal low, decimal high, decimal resolution) =>
        low + Math.Max(1, decimal.Floor((high - low) / 2 / resolution)) * resolution;
}
