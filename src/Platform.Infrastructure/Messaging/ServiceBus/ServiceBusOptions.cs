namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// Section <c>Messaging:ServiceBus</c>: how the REST transport talks to the namespace. The namespace itself comes from
/// <c>ConnectionStrings:servicebus</c> (see <see cref="ServiceBusConnection"/>).
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "Messaging:ServiceBus";
    public const string ConnectionName = "servicebus";

    /// <summary>How long one peek-lock request waits on the broker for a message (long polling).</summary>
    public int ReceiveTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a failed call (network error, 408, 429, 5xx), with exponential backoff, before it counts as failed.</summary>
    public int MaxRetries { get; set; } = 5;

    public int RetryDelayMilliseconds { get; set; } = 200;

    public int MaxRetryDelaySeconds { get; set; } = 10;

    /// <summary>Upper bound of one batch send's body; the Standard tier accepts 256 KB per batch, so leave room for properties.</summary>
    public int MaxBatchBytes { get; set; } = 192 * 1024;

    /// <summary>Messages per batch send (bounded as well by <see cref="MaxBatchBytes"/>).</summary>
    public int MaxBatchMessages { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (ReceiveTimeoutSeconds is < 1 or > 230) yield return $"{SectionName}:ReceiveTimeoutSeconds must be between 1 and 230.";
        if (MaxRetries is < 0 or > 20) yield return $"{SectionName}:MaxRetries must be between 0 and 20.";
        if (RetryDelayMilliseconds is < 1 or > 60_000) yield return $"{SectionName}:RetryDelayMilliseconds must be between 1 and 60000.";
        if (MaxRetryDelaySeconds is < 1 or > 300) yield return $"{SectionName}:MaxRetryDelaySeconds must be between 1 and 300.";
        if (MaxBatchBytes is < 1024 or > 1024 * 1024) yield return $"{SectionName}:MaxBatchBytes must be between 1024 and 1048576.";
        if (MaxBatchMessages is < 1 or > 4500) yield return $"{SectionName}:MaxBatchMessages must be between 1 and 4500.";
    }
}
