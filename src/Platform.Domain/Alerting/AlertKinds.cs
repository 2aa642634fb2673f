namespace Platform.Domain.Alerting;

/// <summary>
/// The conditions Platform watches (PLATFORM §9). Queue health concerns the whole platform, so only operators route it
/// (platform-wide rules); the rest concern one organization's runs and feeds, and its own rules see only its own.
/// </summary>
public static class AlertKinds
{
    public const string QueueDepth = "queue_depth";
    public const string QueueOldestMessage = "queue_oldest_message";
    public const string NoProgress = "no_progress";
    public const string PageFailureRate = "page_failure_rate";
    public const string RunFailed = "run_failed";
    public const string ConsolidationSkipped = "consolidation_skipped";
    public const string UpstreamCircuitOpen = "upstream_circuit_open";

    public static IReadOnlyList<string> PlatformWide { get; } = [QueueDepth, QueueOldestMessage, NoProgress, PageFailureRate];

    public static IReadOnlyList<string> Tenant { get; } = [RunFailed, ConsolidationSkipped, UpstreamCircuitOpen];

    public static IReadOnlyList<string> All { get; } = [.. PlatformWide, .. Tenant];

    /// <summary>What an organization's rule may route; platform rules may route every kind (for every organization).</summary>
    public static bool AllowedFor(bool platformWide, string kind) => platformWide ? All.Contains(kind) : Tenant.Contains(kind);

    /// <summary>Fixed per kind: "work has stopped" pages someone, the rest is a warning.</summary>
    public static string SeverityOf(string kind) => kind switch
    {
        NoProgress or UpstreamCircuitOpen or RunFailed => AlertSeverity.Critical,
        _ => AlertSeverity.Warning,
    };
}

public static class AlertSeverity
{
    public const string Critical = "critical";
    public const string Warning = "warning";
}

/// <summary>
/// A condition that holds now. <see cref="Subject"/> identifies what it is about (a queue, a run, a feed), so one rule
/// keeps one episode per subject; <see cref="OrgId"/> is the organization it concerns, null for platform conditions.
/// </summary>
public sealed record AlertSignal(string Kind, string Subject, Guid? OrgId, string Summary, IReadOnlyDictionary<string, object?> Details);
