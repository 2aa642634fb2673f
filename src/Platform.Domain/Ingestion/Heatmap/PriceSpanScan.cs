namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// Scans one price span: fixed steps below the dense-zone threshold, adaptive steps above it.
/// The dense ranges are known up front and are counted concurrently; the adaptive zone is a chain (each step
/// depends on the previous count) that runs alongside them, so both share the concurrency limit.
/// </summary>
internal static class PriceSpanScan
{
    public static async Task<List<DensityChunk>> RunAsync(
        RangeCountSession session,
        PriceRange span,
        decimal denseZoneThreshold,
        decimal denseZoneStep,
        AdaptiveStepPolicy policy)
    {
        var denseEnd = Math.Clamp(denseZoneThreshold, span.Min, span.Max);
        var dense = ScanDenseZoneAsync(session, span.Min, denseEnd, denseZoneStep);
        var adaptive = denseEnd < span.Max
            ? ScanAdaptiveZoneAsync(session, new PriceRange(denseEnd, span.Max), policy)
            : Task.FromResult(new List<DensityChunk>());

        await Task.WhenAll(dense, adaptive);
        var chunks = await dense;
        chunks.AddRange(await adaptive);
        return chunks;
    }

    /// <summary>Counts fixed-step ranges over <c>[start, end)</c>; the last one ends exactly at <paramref name="end"/>.</summary>
    public static async Task<List<DensityChunk>> ScanDenseZoneAsync(
        RangeCountSession session, decimal start, decimal end, decimal step)
    {
        var ranges = FixedSteps(start, end, step);
        var counts = await session.CountRangesAsync(ranges);
        var chunks = new List<DensityChunk>();
        for (var i = 0; i < ranges.Count; i++)
        {
            if (counts[i] > 0)
                chunks.Add(new DensityChunk(ranges[i], counts[i]));
        }

        return chunks;
    }

    public static List<PriceRange> FixedSteps(decimal start, decimal end, decimal step)
    {
        var ranges = new List<PriceRange>();
        for (var price = start; price < end; price += step)
            ranges.Add(new PriceRange(price, Math.Min(price + step, end)));
        return ranges;
    }

    private static async Task<List<DensityChunk>> ScanAdaptiveZoneAsync(
        RangeCountSession session, PriceRange zone, AdaptiveStepPolicy policy)
    {
        var chunks = new List<DensityChunk>();
        var step = policy.InitialStep;
        for (var price = zone.Min; price < zone.Max;)
        {
            var range = new PriceRange(price, Math.Min(price + step, zone.Max));
            var count = await session.CountRangeAsync(range);
            if (count > 0)
                chunks.Add(new DensityChunk(range, count));

            step = policy.Next(step, count);
            price = range.Max;
        }

        return chunks;
    }
}
