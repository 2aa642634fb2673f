using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure.Alerting;

/// <summary>Section <c>Alerting</c>: the monitors' thresholds, the notification limits and the channels' resilience.</summary>
public sealed class AlertingOptions : IValidatableObject
{
    public const string SectionName = "Alerting";

    /// <summary>How often the maintenance leader evaluates every condition.</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The capacity a queue is sized for; <see cref="QueueCapacities"/> overrides it per queue.</summary>
    [Range(1, 100_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    public Dictionary<string, int> QueueCapacities { get; set; } = new(StringComparer.Ordinal);

    /// <summary>queue_depth fires when a queue holds more than this share of its capacity.</summary>
    [Range(0.01, 1.0)]
    public double QueueDepthRatio { get; set; } = 0.8;

    /// <summary>queue_oldest_message fires when a ready message has waited longer than this.</summary>
    [Range(1, 86_400)]
    public int OldestMessageSeconds { get; set; } = 300;

    /// <summary>no_progress fires when pages have waited this long and no page was processed within it.</summary>
    [Range(1, 86_400)]
    public int NoProgressSeconds { get; set; } = 120;

    /// <summary>page_failure_rate fires above this share of failing partitions in <see cref="FailureRateWindowMinutes"/>.</summary>
    [Range(0.001, 1.0)]
    public double FailureRateThreshold { get; set; } = 0.10;

    [Range(1, 1440)]
    public int FailureRateWindowMinutes { get; set; } = 15;

    /// <summary>Fewer active partitions than this in the window is too small a sample to judge.</summary>
    [Range(1, 100_000)]
    public int FailureRateMinimumSample { get; set; } = 10;

    /// <summary>upstream_circuit_open fires when a feed's breaker has been open this long.</summary>
    [Range(1, 86_400)]
    public int CircuitOpenSeconds { get; set; } = 900;

    /// <summary>How often each process reports its breaker states, and (times three) when a report counts as stale.</summary>
    [Range(1, 3600)]
    public int CircuitReportSeconds { get; set; } = 30;

    /// <summary>A failed run (or one whose consolidation was skipped) stays an alert condition this long, unless a later run of its feed completes.</summary>
    [Range(1, 10_080)]
    public int RunLookbackMinutes { get; set; } = 60;

    /// <summary>Notifications per episode: the first and the reminders (resolution notices are extra).</summary>
    [Range(1, 100)]
    public int MaxNotificationsPerEpisode { get; set; } = 3;

    /// <summary>One delivery attempt to one channel.</summary>
    [Range(1, 300)]
    public int ChannelTimeoutSeconds { get; set; } = 10;

    /// <summary>Each channel's breaker opens when this many deliveries in <see cref="ChannelBreakerSamplingSeconds"/> all failed...</summary>
    [Range(2, 1000)]
    public int ChannelBreakerMinimumThroughput { get; set; } = 3;

    [Range(1, 3600)]
    public int ChannelBreakerSamplingSeconds { get; set; } = 60;

    /// <summary>...and stays open this long; deliveries meanwhile are retried after it.</summary>
    [Range(1, 3600)]
    public int ChannelBreakerBreakSeconds { get; set; } = 60;

    /// <summary>The PagerDuty Events API v2 endpoint (tests point it at a local receiver).</summary>
    [Required]
    public Uri PagerDutyEventsUrl { get; set; } = new("https://events.pagerduty.com/v2/enqueue");

    [Range(1, 1000)]
    public int MaxChannelsPerOwner { get; set; } = 20;

    [Range(1, 1000)]
    public int MaxRulesPerOwner { get; set; } = 50;

    public int CapacityOf(string queue) => QueueCapacities.TryGetValue(queue, out var capacity) ? capacity : QueueCapacity;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan ChannelBreakerBreak => TimeSpan.FromSeconds(ChannelBreakerBreakSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (queue, capacity) in QueueCapacities)
        {
            if (capacity < 1)
            {
                yield return new ValidationResult($"{SectionName}:QueueCapacities:{queue} must be at least 1.");
            }
        }
        if (!PagerDutyEventsUrl.IsAbsoluteUri || PagerDutyEventsUrl.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"{SectionName}:PagerDutyEventsUrl must be an absolute http(s) URL.");
        }
    }
}
