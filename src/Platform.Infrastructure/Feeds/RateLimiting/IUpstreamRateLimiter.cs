namespace Platform.Infrastructure.Feeds.RateLimiting;

/// <summary>
/// The per-feed upstream rate limit shared by every process (SOURCES §3.6, per feed instead of one global row).
/// Adapters acquire a slot before each upstream HTTP request, retries included.
/// </summary>
public interface IUpstreamRateLimiter
{
    /// <summary>
    /// Waits until the feed may send one more request, and returns how long that took. A rate that
    /// <see cref="UpstreamRateLimit.IsUnlimited"/> returns at once without touching the database.
    /// </summary>
    /// <exception cref="UpstreamRateLimitTimeoutException">No slot within <c>Upstream:RateLimitMaxWaitSeconds</c>.</exception>
    Task<TimeSpan> AcquireAsync(Guid feedId, decimal requestsPerSecond, CancellationToken cancellationToken);
}

/// <summary>What counts as "no upstream rate limit", e.g. for the benchmark feed against the local simulator.</summary>
public static class UpstreamRateLimit
{
    /// <summary>
    /// The largest value <c>feeds.upstream_rps</c> (numeric(8,2)) can hold. Because that column must be positive,
    /// a feed without a limit stores this; zero or less (from code or a future schema) means the same.
    /// </summary>
    public const decimal Unlimited = 999_999.99m;

    public static bool IsUnlimited(decimal requestsPerSecond) => requestsPerSecond <= 0 || requestsPerSecond >= Unlimited;
}
