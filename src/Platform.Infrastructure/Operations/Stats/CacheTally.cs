using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Operations.Stats;

/// <summary>
/// Hits and misses of the catalog cache in this process since it started, tallied from the
/// <c>platform.cache.requests</c> counter (so the figure is the one the metrics export, without a second code path).
/// </summary>
public sealed class CacheTally : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;
    private long _misses;

    public CacheTally()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Catalog.Caching.CatalogCache.MeterName && instrument.Name == "platform.cache.requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var (key, tag) in tags)
            {
                if (key == "result")
                {
                    if (tag as string == "hit")
                    {
                        Interlocked.Add(ref _hits, value);
                    }
                    else
                    {
                        Interlocked.Add(ref _misses, value);
                    }
                    return;
                }
            }
        });
        _listener.Start();
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Hits over all cached reads; null before the first one.</summary>
    public double? HitRatio => Hits + Misses is var total and > 0 ? Math.Round((double)Hits / total, 4) : null;

    public void Dispose() => _listener.Dispose();
}
