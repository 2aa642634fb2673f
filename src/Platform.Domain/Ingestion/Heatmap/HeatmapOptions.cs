namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// Tuning of the heatmap density scan and of the partitioning that follows it (PLATFORM §5.2, §11; SOURCES §3.5).
/// The defaults describe a diamond feed where about 80 % of the stones cost less than $20 000: fixed $100 steps
/// there, adaptive steps aiming at ~500 stones per range above it, zooming through empty space.
/// </summary>
public sealed record HeatmapOptions
{
    /// <summary>Worker cap of a full run: the whole catalogue is paged, so fan out widely.</summary>
    public const int FullRunMaxWorkers = 1000;

    /// <summary>Worker cap of an incremental run: few records change between runs.</summary>
    public const int IncrementalRunMaxWorkers = 10;

    /// <summary>Inclusive lower end of the scanned prices.</summary>
    public decimal MinPrice { get; init; }

    /// <summary>Exclusive upper end of the scanned prices.</summary>
    public decimal MaxPrice { get; init; } = 250_000m;

    /// <summary>Below this price the step is fixed at <see cref="DenseZoneStep"/>; no range straddles it.</summary>
    public decimal DenseZoneThreshold { get; init; } = 20_000m;

    public decimal DenseZoneStep { get; init; } = 100m;

    /// <summary>First adaptive step above <see cref="DenseZoneThreshold"/>.</summary>
    public decimal InitialStep { get; init; } = 500m;

    /// <summary>The adaptive step aims at this many stones per range: <c>step × target / count</c>.</summary>
    public long TargetRecordsPerChunk { get; init; } = 500;

    public decimal MinStep { get; init; } = 200m;

    public decimal MaxStep { get; init; } = 50_000m;

    /// <summary>After an empty range the step is multiplied by this ("zoom through empty space").</summary>
    public int EmptyZoomFactor { get; init; } = 5;

    /// <summary>Cap of the zoomed step; deliberately above <see cref="MaxStep"/> so empty tails are crossed fast.</summary>
    public decimal MaxZoomStep { get; init; } = 100_000m;

    /// <summary>Count calls in flight at once.</summary>
    public int Concurrency { get; init; } = 3;

    /// <summary><see cref="FullRunMaxWorkers"/> for full runs; see <see cref="ForIncremental"/>.</summary>
    public int MaxWorkers { get; init; } = FullRunMaxWorkers;

    /// <summary>Workers = <c>max(1, min(ceil(total / this), MaxWorkers))</c>.</summary>
    public int MinRecordsPerWorker { get; init; } = 1000;

    /// <summary>Coarse scan, binary-searched region boundaries, then a fine scan inside each region.</summary>
    public bool UseTwoPassScan { get; init; }

    /// <summary>Step of the two-pass coarse scan.</summary>
    public decimal CoarseStep { get; init; } = 5_000m;

    /// <summary>Lower clamp of the adaptive step in the two-pass fine scan.</summary>
    public decimal FineMinStep { get; init; } = 100m;

    /// <summary>Upper clamp of the adaptive step, and of its zoom, in the two-pass fine scan.</summary>
    public decimal FineMaxStep { get; init; } = 10_000m;

    /// <summary>Zoom factor after an empty range in the two-pass fine scan.</summary>
    public int FineEmptyZoomFactor { get; init; } = 2;

    /// <summary>
    /// Optional cap on the records a run plans for (staging). Workers are sized for the capped total, partitions
    /// after the cap is reached are dropped and the last one kept has its estimate truncated.
    /// </summary>
    public long? MaxTotalRecords { get; init; }

    /// <summary>How often a failing count call is retried before the scan fails.</summary>
    public int CountRetries { get; init; } = 3;

    /// <summary>Delay before the first retry; doubled for each further one.</summary>
    public TimeSpan CountRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The same options with the incremental-run worker cap.</summary>
    public HeatmapOptions ForIncremental() => this with { MaxWorkers = IncrementalRunMaxWorkers };

    /// <summary>Problems with these options, each naming the field; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate() => HeatmapOptionsValidation.Problems(this);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, so a misconfiguration fails at start.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid heatmap options: " + string.Join(" ", problems));
    }
}
