namespace Platform.Infrastructure.Messaging;

/// <summary>Section <c>Messaging</c>: defaults for every queue, overridable per queue under <c>Messaging:Queues:{name}</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";
    public const string Postgres = "postgres";
    public const string ServiceBus = "servicebus";

    /// <summary>
    /// <c>postgres</c> (queue table, enqueue joins the caller's transaction) or <c>servicebus</c> (Azure Service Bus over
    /// REST; publishing goes through the outbox and the dispatcher role relays it). ADR 0005, ADR 0028.
    /// </summary>
    public string Transport { get; set; } = Postgres;

    public bool UsesServiceBus => string.Equals(Transport, ServiceBus, StringComparison.OrdinalIgnoreCase);

    public QueueOptions Defaults { get; set; } = new();

    public Dictionary<string, QueueOptions> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often consumers look for work when no LISTEN/NOTIFY wake-up arrives (the fallback).</summary>
    public int PollIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>How long a stopping consumer lets in-flight handlers finish before it releases their messages.</summary>
    public int ShutdownGraceSeconds { get; set; } = 20;

    public QueueOptions For(string queue) => Queues.TryGetValue(queue, out var specific) ? specific : Defaults;

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Transport, Postgres, StringComparison.OrdinalIgnoreCase) && !UsesServiceBus)
        {
            yield return $"{SectionName}:Transport must be '{Postgres}' or '{ServiceBus}' (was '{Transport}').";
        }
        if (PollIntervalMilliseconds is < 10 or > 60_000)
        {
            yield return $"{SectionName}:PollIntervalMilliseconds must be between 10 and 60000.";
        }
        if (ShutdownGraceSeconds is < 0 or > 600)
        {
            yield return $"{SectionName}:ShutdownGraceSeconds must be between 0 and 600.";
        }
        foreach (var error in Defaults.Validate($"{SectionName}:Defaults"))
        {
            yield return error;
        }
        foreach (var (name, queue) in Queues)
        {
            foreach (var error in queue.Validate($"{SectionName}:Queues:{name}"))
            {
                yield return error;
            }
        }
    }
}

public sealed class QueueOptions
{
    /// <summary>Visibility timeout of a claim: a message whose consumer died reappears after it (Service Bus: lock duration).</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Deliveries before a message is dead-lettered (Service Bus: max delivery count).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Handlers running at once in one process.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Messages claimed per round trip, and how many a consumer holds at once (running or waiting for a slot):
    /// above <see cref="Concurrency"/>, the difference is claimed ahead and waits locally under its lease.
    /// Set it to <see cref="Concurrency"/> or less for long handlers, so no message waits behind a busy one.
    /// </summary>
    public int BatchSize { get; set; } = 16;

    public double RetryBaseSeconds { get; set; } = 1;
    public double RetryMaxSeconds { get; set; } = 300;

    public QueueOptions Clone() => (QueueOptions)MemberwiseClone();

    public IEnumerable<string> Validate(string path)
    {
        if (LeaseSeconds is < 1 or > 3600) yield return $"{path}:LeaseSeconds must be between 1 and 3600.";
        if (MaxAttempts is < 1 or > 100) yield return $"{path}:MaxAttempts must be between 1 and 100.";
        if (Concurrency is < 1 or > 256) yield return $"{path}:Concurrency must be between 1 and 256.";
        if (BatchSize is < 1 or > 1000) yield return $"{path}:BatchSize must be between 1 and 1000.";
        if (RetryBaseSeconds is <= 0 or > 3600) yield return $"{path}:RetryBaseSeconds must be above 0 and at most 3600.";
        if (RetryMaxSeconds < RetryBaseSeconds || RetryMaxSeconds > 86_400) yield return $"{path}:RetryMaxSeconds must be between RetryBaseSeconds and 86400.";
    }
}
