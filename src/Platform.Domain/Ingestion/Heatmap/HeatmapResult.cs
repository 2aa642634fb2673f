namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// What a density scan found and how the run will be split. Plain records only, so the whole result can be
/// serialised and cached as a snapshot that later incremental runs re-count instead of re-scanning.
/// </summary>
/// <param name="Chunks">Non-empty ranges ordered by price (before oversized chunks are split).</param>
/// <param name="Partitions">Worker partitions ordered by price; contiguous and non-overlapping.</param>
/// <param name="TotalRecords">Sum of the chunk counts: what the supplier reports, before any record cap.</param>
/// <param name="Stats">What the scan cost.</param>
public sealed record HeatmapResult(
    IReadOnlyList<DensityChunk> Chunks,
    IReadOnlyList<HeatmapPartition> Partitions,
    long TotalRecords,
    HeatmapStats Stats)
{
    public int WorkerCount => Partitions.Count;
}

/// <summary>Cost and shape of one scan, for logs, metrics and the dashboard.</summary>
/// <param name="ApiCalls">Every count call made, including retries and boundary-search probes.</param>
/// <param name="RangesScanned">Ranges whose count went into the map (coarse, fine and single-pass ranges; not probes).</param>
/// <param name="NonEmptyRanges">Number of <see cref="HeatmapResult.Chunks"/>.</param>
/// <param name="UsedTwoPass">Whether the coarse-then-fine scan ran.</param>
/// <param name="Duration">Wall time of the scan, measured with the injected <see cref="TimeProvider"/>.</param>
public sealed record HeatmapStats(int ApiCalls, int RangesScanned, int NonEmptyRanges, bool UsedTwoPass, TimeSpan Duration);
