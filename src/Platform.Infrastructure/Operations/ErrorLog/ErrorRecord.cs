namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>Where a failure happened (the <c>category</c> column). Stable: filters and alerts name them.</summary>
public static class ErrorCategories
{
    public const string Api = "api";
    public const string Page = "page";
    public const string Consolidation = "consolidation";
    public const string Scan = "scan";
    public const string Scheduler = "scheduler";
    public const string Upstream = "upstream";
    public const string Messaging = "messaging";
    public const string Maintenance = "maintenance";
}

/// <summary>The stable codes of failures that are not client errors (client errors use <c>ErrorCatalog</c> codes).</summary>
public static class ErrorLogCodes
{
    public const string PageFetchFailed = "PAGE_FETCH_FAILED";
    public const string HandlerFailed = "HANDLER_FAILED";
    public const string DeadLettered = "MESSAGE_DEAD_LETTERED";
    public const string SchedulerFailed = "SCHEDULER_TICK_FAILED";
    public const string MaintenanceFailed = "MAINTENANCE_FAILED";
    public const string UpstreamFailed = "UPSTREAM_FAILED";
    public const string UpstreamCircuitOpen = "UPSTREAM_CIRCUIT_OPEN";
}

/// <summary>Removes secrets from an error's message before it is stored; the hosts plug in the log redactor of ServiceDefaults.</summary>
public delegate string ErrorTextRedactor(string text);

/// <summary>One failure, as buffered before it is written.</summary>
public sealed record ErrorRecord(
    string Category, string Code, string Message, Guid? OrgId, string? TraceId, IReadOnlyDictionary<string, object?>? Context, DateTimeOffset OccurredAt)
{
    public const int MaxMessageLength = 1_000;
    public const int MaxCodeLength = 100;
    public const int MaxCategoryLength = 50;
}

/// <summary>
/// Records failures into <c>error_log</c>. Never blocks and never throws: the record joins an in-memory buffer that a
/// background writer flushes in batches; when the buffer is full the record is dropped and counted.
/// </summary>
public interface IErrorLog
{
    void Record(string category, string code, string message, Guid? orgId = null, IReadOnlyDictionary<string, object?>? context = null);
}

public static class ErrorLogExtensions
{
    /// <summary>Records an exception: its type and message (capped), never its stack trace (that stays in the logs).</summary>
    public static void Record(this IErrorLog log, string category, string code, Exception exception, Guid? orgId = null,
        IReadOnlyDictionary<string, object?>? context = null)
    {
        var merged = new Dictionary<string, object?>(context ?? new Dictionary<string, object?>()) { ["exception"] = exception.GetType().Name };
        log.Record(category, code, exception.Message, orgId, merged);
    }
}
