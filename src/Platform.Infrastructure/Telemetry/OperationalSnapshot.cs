using Platform.Infrastructure.Operations.Queues;

namespace Platform.Infrastructure.Telemetry;

/// <summary>
/// One database-wide sample taken by <see cref="OperationalGauges"/>: every queue's figures and the errors recorded in
/// <c>error_log</c> within <see cref="ErrorWindowMinutes"/>, as of <see cref="SampledAt"/>.
/// </summary>
public sealed record OperationalSnapshot(DateTimeOffset SampledAt, IReadOnlyList<QueueStatus> Queues, long RecentErrors, int ErrorWindowMinutes);

/// <summary>
/// The latest <see cref="OperationalSnapshot"/> of this process. Readiness and the status summary read it instead of
/// querying the database per call (ADR 0033), so probes and anonymous callers cost the database nothing.
/// </summary>
public interface IOperationalSnapshots
{
    /// <summary>The last successful sample; null until the first one succeeded.</summary>
    OperationalSnapshot? Latest { get; }

    /// <summary>How often a sample is taken (<see cref="TelemetryOptions.GaugeRefreshSeconds"/>).</summary>
    TimeSpan Interval { get; }

    /// <summary>Completes once the first sampling attempt has finished, successful or not.</summary>
    Task FirstAttempt { get; }
}
