using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// Section <c>Health:Readiness</c>: the thresholds of the readiness checks beyond Postgres and Redis. A threshold of 0
/// is off. Unhealthy answers 503 and takes the replica out of rotation, so only conditions that rerouting helps with
/// should reach it; the defaults report Degraded (200) for everything a restart does not fix (ADR 0030).
/// </summary>
public sealed class ReadinessOptions
{
    public const string SectionName = "Health:Readiness";

    /// <summary>A queue whose oldest ready message waited longer than this (seconds) is Degraded.</summary>
    [Range(0, 86_400)]
    public int QueueOldestDegradedSeconds { get; set; } = 300;

    /// <summary>… and Unhealthy beyond this (0: never).</summary>
    [Range(0, 86_400)]
    public int QueueOldestUnhealthySeconds { get; set; }

    /// <summary>A queue holding more messages than this is Degraded (0: never).</summary>
    [Range(0, 100_000_000)]
    public long QueueDepthDegraded { get; set; } = 100_000;

    /// <summary>Share of the Npgsql pool in use (percent) from which the pool is Degraded.</summary>
    [Range(0, 100)]
    public double PoolDegradedPercent { get; set; } = 80;

    /// <summary>… and Unhealthy (0: never). 100 means every connection is busy.</summary>
    [Range(0, 100)]
    public double PoolUnhealthyPercent { get; set; }

    /// <summary>The window of the recent error rate, in minutes.</summary>
    [Range(1, 1_440)]
    public int ErrorWindowMinutes { get; set; } = 5;

    /// <summary>Errors (all services, <c>error_log</c>) within the window from which readiness is Degraded (0: never).</summary>
    [Range(0, 10_000_000)]
    public int ErrorsDegraded { get; set; } = 50;

    /// <summary>… and Unhealthy (0: never).</summary>
    [Range(0, 10_000_000)]
    public int ErrorsUnhealthy { get; set; }

    /// <summary>
    /// The transport and error checks read the background sample (<c>Telemetry:GaugeRefreshSeconds</c>); a sample older
    /// than this many refresh periods is reported Degraded ("stale sample") instead of being judged as current.
    /// </summary>
    [Range(2, 100)]
    public int SampleStaleRefreshes { get; set; } = 3;

    /// <summary>
    /// How long (seconds) <c>GET /api/v1/status</c> reuses a health report, so anonymous callers cannot drive database
    /// and Redis pings at the public rate limit's pace.
    /// </summary>
    [Range(1, 300)]
    public int StatusCacheSeconds { get; set; } = 5;

    /// <summary>An upstream circuit open longer than this (minutes) makes the upstream check Unhealthy (0: never; an open circuit is Degraded).</summary>
    [Range(0, 1_440)]
    public int CircuitOpenUnhealthyMinutes { get; set; }
}
