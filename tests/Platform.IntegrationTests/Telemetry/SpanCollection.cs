using System.Collections;
using System.Diagnostics;

namespace Platform.IntegrationTests.Telemetry;

/// <summary>
/// The in-memory exporter's target, safe to read while spans of other tests' hosts are still being exported into it
/// (every TracerProvider in the test process sees every ActivitySource, so tests filter by trace id).
/// </summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count { get { lock (_spans) { return _spans.Count; } } }

    public bool IsReadOnly => false;

    /// <summary>The finished spans of one trace, each once.</summary>
    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == traceId).DistinctBy(s => s.SpanId).ToList();
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
