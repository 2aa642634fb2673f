using System.Collections.Concurrent;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>The state of a feed's upstream circuit breaker.</summary>
public enum UpstreamCircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>A feed's breaker state and when it last changed.</summary>
public sealed record UpstreamCircuitStatus(UpstreamCircuitState State, DateTimeOffset ChangedAt);

/// <summary>
/// What health checks and dashboards need to know about the upstream breakers of this process: which feeds'
/// suppliers are being shed. State is per process; every replica trips its own breaker.
/// </summary>
/// <remarks>
/// Polly moves an open breaker to half-open lazily, when the first call after the break arrives, so a feed nobody
/// calls stays <see cref="UpstreamCircuitState.Open"/> here after its break has ended.
/// </remarks>
public interface IUpstreamCircuitMonitor
{
    /// <summary>The feed's breaker state; <see cref="UpstreamCircuitState.Closed"/> for a feed whose breaker never changed.</summary>
    UpstreamCircuitState StateOf(Guid feedId);

    /// <summary>Every feed whose breaker changed state at least once, with its current state.</summary>
    IReadOnlyDictionary<Guid, UpstreamCircuitStatus> Snapshot();
}

/// <summary>Records the transitions the resilience pipelines report.</summary>
public sealed class UpstreamCircuitMonitor(TimeProvider timeProvider) : IUpstreamCircuitMonitor
{
    private readonly ConcurrentDictionary<Guid, UpstreamCircuitStatus> states = new();

    public UpstreamCircuitState StateOf(Guid feedId) =>
        states.TryGetValue(feedId, out var status) ? status.State : UpstreamCircuitState.Closed;

    public IReadOnlyDictionary<Guid, UpstreamCircuitStatus> Snapshot() => new Dictionary<Guid, UpstreamCircuitStatus>(states);

    internal void Record(Guid feedId, UpstreamCircuitState state) =>
        states[feedId] = new UpstreamCircuitStatus(state, timeProvider.GetUtcNow());
}
