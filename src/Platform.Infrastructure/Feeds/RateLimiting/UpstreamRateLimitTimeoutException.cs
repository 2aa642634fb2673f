using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.RateLimiting;

/// <summary>
/// A call found no free slot in its feed's shared rate limit within the maximum wait: the feed's callers together
/// want more than its rate allows. Transient for the caller (a later page attempt may get through), but never
/// retried inside the resilience pipeline, which would only wait again.
/// </summary>
public sealed class UpstreamRateLimitTimeoutException(Guid feedId, decimal requestsPerSecond, TimeSpan waited)
    : UpstreamException($"Feed {feedId}: no upstream slot at {requestsPerSecond} req/s within {waited.TotalSeconds:0.###} s (Upstream:RateLimitMaxWaitSeconds).")
{
    public Guid FeedId { get; } = feedId;

    public override bool IsTransient => true;
}
