namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// The only door to the supplier during one scan: limits the count calls in flight, retries failing ones with
/// doubling backoff, keeps the call statistics, and on a final failure cancels every other pending call so the
/// scan fails fast with the original exception.
/// </summary>
internal sealed class RangeCountSession : IDisposable
{
    private readonly Func<PriceRange, CancellationToken, Task<long>> count;
    private readonly HeatmapOptions options;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim gate;
    private readonly CancellationTokenSource abort;
    private int apiCalls;
    private int rangesScanned;

    public RangeCountSession(
        Func<PriceRange, CancellationToken, Task<long>> count,
        HeatmapOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        this.count = count;
        this.options = options;
        this.timeProvider = timeProvider;
        gate = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public int ApiCalls => Volatile.Read(ref apiCalls);

    public int RangesScanned => Volatile.Read(ref rangesScanned);

    /// <summary>Counts a range whose result becomes part of the density map.</summary>
    public async Task<long> CountRangeAsync(PriceRange range)
    {
        var result = await CountWithRetriesAsync(range);
        Interlocked.Increment(ref rangesScanned);
        return result;
    }

    /// <summary>Counts a range only to steer a search (boundary probes); not a scanned range.</summary>
    public Task<long> ProbeAsync(PriceRange range) => CountWithRetriesAsync(range);

    /// <summary>Counts every range, at most <see cref="HeatmapOptions.Concurrency"/> at a time; results in input order.</summary>
    public Task<long[]> CountRangesAsync(IEnumerable<PriceRange> ranges) =>
        Task.WhenAll(ranges.Select(CountRangeAsync));

    private async Task<long> CountWithRetriesAsync(PriceRange range)
    {
        for (var attempt = 0; ; attempt++)
        {
            abort.Token.ThrowIfCancellationRequested();
            try
            {
                return await CountOnceAsync(range);
            }
            catch (Exception) when (attempt < options.CountRetries && !abort.IsCancellationRequested)
            {
                // Transient by assumption (timeouts, 429, 5xx); the final attempt's exception propagates below.
            }
            catch (Exception) when (!abort.IsCancellationRequested)
            {
                await abort.CancelAsync();
                throw;
            }

            var delay = options.CountRetryDelay * Math.Pow(2, attempt);
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, timeProvider, abort.Token);
        }
    }

    private async Task<long> CountOnceAsync(PriceRange range)
    {
        await gate.WaitAsync(abort.Token);
        try
        {
            Interlocked.Increment(ref apiCalls);
            var result = await count(range, abort.Token);
            if (result < 0)
                throw new InvalidOperationException($"The supplier counted {result} stones in {range}.");
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        gate.Dispose();
        abort.Dispose();
    }
}
