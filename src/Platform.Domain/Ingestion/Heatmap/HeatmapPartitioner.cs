namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// Turns a density map into worker partitions of roughly equal size (PLATFORM §5.2): size the worker pool from
/// the total, split chunks too big for one worker into equal-price pieces, then group consecutive pieces greedily.
/// Partitions tile the whole scanned span <c>[MinPrice, MaxPrice)</c> without gaps, so a stone that appears later
/// in price space that was empty at scan time still belongs to exactly one partition (snapshots stay valid).
/// </summary>
public static class HeatmapPartitioner
{
    /// <summary>Chunks above this multiple of the per-worker target are split.</summary>
    public const decimal SplitFactor = 1.5m;

    /// <summary><c>max(1, min(ceil(total / MinRecordsPerWorker), MaxWorkers))</c>.</summary>
    public static int WorkerCount(long totalRecords, HeatmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var needed = CeilingDivide(Math.Max(0, totalRecords), options.MinRecordsPerWorker);
        return (int)Math.Max(1, Math.Min(needed, options.MaxWorkers));
    }

    /// <summary>
    /// Partitions <paramref name="chunks"/> (non-empty, ordered by price, inside the options' span).
    /// An empty map yields one partition over the whole span with an estimate of zero, so an empty feed still
    /// flows through the normal page-and-complete path (one empty page confirms it) instead of a special case.
    /// </summary>
    public static IReadOnlyList<HeatmapPartition> Partition(IReadOnlyList<DensityChunk> chunks, HeatmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(options);

        var start = chunks.Count > 0 ? Math.Min(options.MinPrice, chunks[0].Range.Min) : options.MinPrice;
        var end = chunks.Count > 0 ? Math.Max(options.MaxPrice, chunks[^1].Range.Max) : options.MaxPrice;
        var total = chunks.Sum(chunk => chunk.Count);
        if (total == 0)
            return [new HeatmapPartition(HeatmapPartition.IdFor(1), start, end, 0)];

        var planned = options.MaxTotalRecords is { } cap ? Math.Min(total, cap) : total;
        var workers = WorkerCount(planned, options);
        var target = CeilingDivide(planned, workers);
        var pieces = SplitOversized(chunks, target);

        var partitions = new List<HeatmapPartition>(workers);
        var partitionStart = start;
        long sum = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            sum += pieces[i].Count;
            var isLast = i == pieces.Count - 1;
            var fillsOne = sum >= target && partitions.Count < workers - 1;
            if (!isLast && !fillsOne)
                continue;

            var partitionEnd = isLast ? end : pieces[i].Range.Max;
            partitions.Add(new HeatmapPartition(HeatmapPartition.IdFor(partitions.Count + 1), partitionStart, partitionEnd, sum));
            partitionStart = partitionEnd;
            sum = 0;
        }

        return ApplyRecordCap(partitions, options.MaxTotalRecords);
    }

    /// <summary>
    /// Splits every chunk holding more than <see cref="SplitFactor"/> × <paramref name="target"/> stones into
    /// <c>ceil(count / target)</c> pieces of equal price width (whole dollars, contiguous) with the count shared
    /// evenly, the remainder going to the first pieces. A chunk narrower in dollars than the piece count is cut
    /// into one-dollar pieces; a one-dollar chunk stays whole.
    /// </summary>
    public static IReadOnlyList<DensityChunk> SplitOversized(IReadOnlyList<DensityChunk> chunks, long target)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);

        var pieces = new List<DensityChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            var wanted = chunk.Count > SplitFactor * target ? CeilingDivide(chunk.Count, target) : 1;
            var count = (long)Math.Min(wanted, chunk.Range.Width);
            if (count <= 1)
            {
                pieces.Add(chunk);
                continue;
            }

            var share = chunk.Count / count;
            var remainder = chunk.Count % count;
            for (long i = 0; i < count; i++)
            {
                var min = chunk.Range.Min + decimal.Floor(chunk.Range.Width * i / count);
                var max = i == count - 1 ? chunk.Range.Max : chunk.Range.Min + decimal.Floor(chunk.Range.Width * (i + 1) / count);
                pieces.Add(new DensityChunk(new PriceRange(min, max), share + (i < remainder ? 1 : 0)));
            }
        }

        return pieces;
    }

    /// <summary>Keeps partitions until <paramref name="maxTotalRecords"/> is reached, truncating the last one's estimate.</summary>
    public static IReadOnlyList<HeatmapPartition> ApplyRecordCap(IReadOnlyList<HeatmapPartition> partitions, long? maxTotalRecords)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (maxTotalRecords is not { } cap)
            return partitions;

        var kept = new List<HeatmapPartition>();
        long sum = 0;
        foreach (var partition in partitions)
        {
            var room = cap - sum;
            if (room <= 0)
                break;

            kept.Add(partition.EstimatedRecords > room ? partition with { EstimatedRecords = room } : partition);
            sum += kept[^1].EstimatedRecords;
        }

        return kept;
    }

    private static long CeilingDivide(long dividend, long divisor) => (dividend + divisor - 1) / divisor;
}
