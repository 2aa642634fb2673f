namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>
/// Section <c>Upstream</c>: how hard we lean on a supplier's API (PLATFORM §11). Every upstream call of every feed
/// goes through a per-feed pipeline built from these values: an attempt timeout, retries with backoff on transient
/// failures only, and a circuit breaker, plus the shared per-feed rate limit.
/// </summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";

    /// <summary>How long one HTTP attempt may take (Nivoda's client aborts at 45 s). The rate-limit wait is not included.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 45;

    /// <summary>Retries after the first attempt, on transient failures only (network, timeout, 408, 429, 5xx, retryable GraphQL errors). 0 disables retries.</summary>
    public int RetryCount { get; set; } = 5;

    /// <summary>The first retry waits this long; each further retry doubles it, up to <see cref="RetryMaxDelaySeconds"/>.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 1;

    public double RetryMaxDelaySeconds { get; set; } = 20;

    /// <summary>Random extra delay (0 to this) added to every computed backoff, so replicas do not retry in step.</summary>
    public double RetryJitterMilliseconds { get; set; } = 300;

    /// <summary>
    /// A 429 or 503 with <c>Retry-After</c> waits what the supplier asked, instead of the backoff, up to this long;
    /// a longer demand is cut to this (the next attempt then meets the supplier's answer again).
    /// </summary>
    public double RetryAfterMaxSeconds { get; set; } = 60;

    /// <summary>The breaker considers opening only after this many calls within <see cref="CircuitSamplingSeconds"/>.</summary>
    public int CircuitMinimumThroughput { get; set; } = 5;

    /// <summary>The share of failed calls within the sampling window that opens the breaker (1.0: every call failed).</summary>
    public double CircuitFailureRatio { get; set; } = 1.0;

    public double CircuitSamplingSeconds { get; set; } = 10;

    /// <summary>How long an open breaker rejects calls before it lets one probe through.</summary>
    public double CircuitBreakSeconds { get; set; } = 30;

    /// <summary>The longest a call waits for the shared per-feed rate limit before failing with <c>UpstreamRateLimitTimeoutException</c>.</summary>
    public double RateLimitMaxWaitSeconds { get; set; } = 30;

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(AttemptTimeoutSeconds);
    public TimeSpan RetryBaseDelay => TimeSpan.FromSeconds(RetryBaseDelaySeconds);
    public TimeSpan RetryMaxDelay => TimeSpan.FromSeconds(RetryMaxDelaySeconds);
    public TimeSpan RetryAfterMax => TimeSpan.FromSeconds(RetryAfterMaxSeconds);
    public TimeSpan CircuitSampling => TimeSpan.FromSeconds(CircuitSamplingSeconds);
    public TimeSpan CircuitBreak => TimeSpan.FromSeconds(CircuitBreakSeconds);
    public TimeSpan RateLimitMaxWait => TimeSpan.FromSeconds(RateLimitMaxWaitSeconds);
}
