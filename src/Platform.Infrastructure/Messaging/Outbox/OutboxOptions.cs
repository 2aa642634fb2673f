namespace Platform.Infrastructure.Messaging.Outbox;

/// <summary>Section <c>Messaging:Outbox</c>: the dispatcher role's relay of <c>outbox_messages</c> to the broker.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Messaging:Outbox";

    /// <summary>Rows claimed per relay round (sent as one or more batch calls per queue).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the relay looks for rows when no NOTIFY wake-up arrives (the fallback).</summary>
    public int PollIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>Backoff of a failed send: base, doubled per failure, capped (with jitter).</summary>
    public double RetryBaseSeconds { get; set; } = 1;

    public double RetryMaxSeconds { get; set; } = 60;

    /// <summary>How often the dispatcher moves the broker's own dead letters into the <c>dead_letters</c> table.</summary>
    public int DeadLetterSweepSeconds { get; set; } = 30;

    public IEnumerable<string> Validate()
    {
        if (BatchSize is < 1 or > 5_000) yield return $"{SectionName}:BatchSize must be between 1 and 5000.";
        if (PollIntervalMilliseconds is < 10 or > 60_000) yield return $"{SectionName}:PollIntervalMilliseconds must be between 10 and 60000.";
        if (RetryBaseSeconds is <= 0 or > 600) yield return $"{SectionName}:RetryBaseSeconds must be above 0 and at most 600.";
        if (DeadLetterSweepSeconds is < 1 or > 3600) yield return $"{SectionName}:DeadLetterSweepSeconds must be between 1 and 3600.";
        if (RetryMaxSeconds < RetryBaseSeconds || RetryMaxSeconds > 3600) yield return $"{SectionName}:RetryMaxSeconds must be between RetryBaseSeconds and 3600.";
    }
}
