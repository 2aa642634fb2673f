using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>
/// The wait before retry <c>n</c> (0-based): the supplier's <c>Retry-After</c> when it sent one, else
/// <c>min(base × 2^n, cap) + random(0, jitter)</c>, as Diamond Opus's <c>withRetry</c> does.
/// </summary>
internal static class UpstreamRetryDelay
{
    public static TimeSpan For(UpstreamOptions options, int retryNumber, Exception? failure, double random)
    {
        if (failure is UpstreamHttpException { RetryAfter: { } retryAfter })
        {
            return retryAfter < options.RetryAfterMax ? retryAfter : options.RetryAfterMax;
        }
        var exponential = options.RetryBaseDelaySeconds * Math.Pow(2, Math.Min(retryNumber, 30));
        var backoff = Math.Min(exponential, options.RetryMaxDelaySeconds);
        return TimeSpan.FromSeconds(backoff) + TimeSpan.FromMilliseconds(random * options.RetryJitterMilliseconds);
    }
}
