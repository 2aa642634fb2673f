namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// Maps how a supplier's stones spread over price, and splits a run into worker partitions from that map
/// (PLATFORM §5.2, SOURCES §3.5). The supplier can only be paged by offset and only its count queries are
/// trustworthy, so partitions are price slices sized by counts. The scanner does no I/O itself: it is fed a
/// count function for half-open ranges, which the supplier adapter implements. Results are ordered by price and
/// do not depend on the timing of the count calls.
/// </summary>
public sealed class HeatmapScanner
{
    private readonly HeatmapOptions options;
    private readonly TimeProvider timeProvider;

    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public HeatmapScanner(HeatmapOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        this.options = options;
        this.timeProvider = timeProvider;
    }

    /// <summary>
    /// Scans <c>[MinPrice, MaxPrice)</c> (single pass, or two passes when configured) and partitions the result.
    /// A count call that still fails after <see cref="HeatmapOptions.CountRetries"/> retries fails the scan with
    /// its exception.
    /// </summary>
    public async Task<HeatmapResult> ScanAsync(
        Func<PriceRange, CancellationToken, Task<long>> count,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(count);
        var started = timeProvider.GetTimestamp();
        using var session = new RangeCountSession(count, options, timeProvider, cancellationToken);

        var chunks = options.UseTwoPassScan
            ? await TwoPassScan.RunAsync(session, options)
            : await PriceSpanScan.RunAsync(session, new PriceRange(options.MinPrice, options.MaxPrice),
                options.DenseZoneThreshold, options.DenseZoneStep, AdaptiveStepPolicy.SinglePass(options));

        var partitions = HeatmapPartitioner.Partition(chunks, options);
        var stats = new HeatmapStats(session.ApiCalls, session.RangesScanned, chunks.Count, options.UseTwoPassScan,
            timeProvider.GetElapsedTime(started));
        return new HeatmapResult(chunks, partitions, chunks.Sum(chunk => chunk.Count), stats);
    }

    /// <summary>
    /// Re-counts the partitions of a cached snapshot instead of scanning again (incremental runs): same ids and
    /// ranges, fresh estimates, the record cap applied again. Partitions now counted empty are kept, so ids stay
    /// stable and a stone that arrives meanwhile still has a partition; the chunks list only the non-empty ones.
    /// </summary>
    public async Task<HeatmapResult> RecountAsync(
        IReadOnlyList<HeatmapPartition> snapshot,
        Func<PriceRange, CancellationToken, Task<long>> count,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(count);
        var started = timeProvider.GetTimestamp();
        using var session = new RangeCountSession(count, options, timeProvider, cancellationToken);

        var ordered = snapshot.OrderBy(partition => partition.MinPrice).ToList();
        var counts = await session.CountRangesAsync(ordered.Select(partition => partition.Range));

        var recounted = ordered.Select((partition, i) => partition with { EstimatedRecords = counts[i] }).ToList();
        var chunks = recounted
            .Where(partition => partition.EstimatedRecords > 0)
            .Select(partition => new DensityChunk(partition.Range, partition.EstimatedRecords))
            .ToList();
        var partitions = HeatmapPartitioner.ApplyRecordCap(recounted, options.MaxTotalRecords);
        var stats = new HeatmapStats(session.ApiCalls, session.RangesScanned, chunks.Count, UsedTwoPass: false,
            timeProvider.GetElapsedTime(started));
        return new HeatmapResult(chunks, partitions, counts.Sum(), stats);
    }
}
