using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.Infrastructure.Feeds.Resilience;

namespace Platform.Infrastructure.Feeds.Upstream;

/// <summary>
/// Meter and ActivitySource <c>Platform.Upstream</c>: how long supplier calls take and how they end, how long they
/// wait for the shared rate limit, how often they are retried and how often a feed's circuit changes state.
/// Feed ids go on spans, not on metrics, to keep metric cardinality bounded.
/// </summary>
public sealed class UpstreamTelemetry
{
    public const string Name = "Platform.Upstream";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private readonly Histogram<double> requestDuration;
    private readonly Histogram<double> rateLimitWait;
    private readonly Counter<long> retries;
    private readonly Counter<long> circuitStateChanges;

    public UpstreamTelemetry(IMeterFactory meterFactory, IUpstreamCircuitMonitor circuits)
    {
        var meter = meterFactory.Create(Name);
        // Breakers per state, no feed ids as labels. Only feeds whose breaker changed state at least once are known here,
        // so `closed` counts recovered breakers; `open` above zero is the signal.
        meter.CreateObservableGauge<long>("platform.upstream.circuits", () => CircuitStates(circuits), "{circuit}",
            "Feeds' upstream circuit breakers in this process, by state (closed, open, half_open).");
        requestDuration = meter.CreateHistogram<double>(
            "platform.upstream.request.duration", "s", "Duration of one upstream HTTP attempt, without the rate-limit wait.");
        rateLimitWait = meter.CreateHistogram<double>(
            "platform.upstream.rate_limit.wait", "s", "Time an upstream attempt waited for the shared per-feed rate limit.");
        retries = meter.CreateCounter<long>("platform.upstream.retries", "{retry}", "Upstream attempts repeated after a transient failure.");
        circuitStateChanges = meter.CreateCounter<long>(
            "platform.upstream.circuit.state_changes", "{change}", "Transitions of a feed's upstream circuit breaker.");
    }

    private static IEnumerable<Measurement<long>> CircuitStates(IUpstreamCircuitMonitor circuits)
    {
        var states = circuits.Snapshot().Values.GroupBy(s => s.State).ToDictionary(g => g.Key, g => (long)g.Count());
        yield return new(states.GetValueOrDefault(UpstreamCircuitState.Closed), new KeyValuePair<string, object?>("state", "closed"));
        yield return new(states.GetValueOrDefault(UpstreamCircuitState.Open), new KeyValuePair<string, object?>("state", "open"));
        yield return new(states.GetValueOrDefault(UpstreamCircuitState.HalfOpen), new KeyValuePair<string, object?>("state", "half_open"));
    }

    internal void RecordRequest(in UpstreamCall call, TimeSpan duration, string outcome) =>
        requestDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("feed_kind", call.FeedKind),
            new KeyValuePair<string, object?>("operation", call.Operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    internal void RecordRateLimitWait(in UpstreamCall call, TimeSpan waited) =>
        rateLimitWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("feed_kind", call.FeedKind));

    internal void RecordRetry(string feedKind, string operation) =>
        retries.Add(1, new KeyValuePair<string, object?>("feed_kind", feedKind), new KeyValuePair<string, object?>("operation", operation));

    internal void RecordCircuitStateChange(string state) =>
        circuitStateChanges.Add(1, new KeyValuePair<string, object?>("state", state));

    internal static Activity? StartCall(in UpstreamCall call)
    {
        var activity = ActivitySource.StartActivity($"upstream {call.Operation}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }
        activity.SetTag("platform.feed.id", call.FeedId);
        activity.SetTag("platform.feed.kind", call.FeedKind);
        activity.SetTag("platform.upstream.operation", call.Operation);
        if (call.Offset is { } offset)
        {
            activity.SetTag("platform.upstream.offset", offset);
        }
        if (call.Limit is { } limit)
        {
            activity.SetTag("platform.upstream.limit", limit);
        }
        return activity;
    }
}
