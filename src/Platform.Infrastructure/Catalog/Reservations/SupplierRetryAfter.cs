using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Catalog.Reservations;

/// <summary>Which failures of a hold or order call mean "the supplier could not be asked", and when a client may try again.</summary>
internal static class SupplierRetryAfter
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    /// <summary>Any supplier-side failure: an error answer, a transport failure or timeout, an open breaker, no rate-limit slot in time.</summary>
    public static bool IsSupplierFailure(Exception failure) =>
        failure is UpstreamException or UpstreamRateLimitTimeoutException || UpstreamFailures.IsTransient(failure)
        || UpstreamFailures.IsRefusedByEgressGuard(failure);

    /// <summary>The breaker's remaining break, the supplier's own Retry-After, or a few seconds.</summary>
    public static TimeSpan Of(Exception failure) => failure switch
    {
        UpstreamUnavailableException { RetryAfter: { } wait } when wait > TimeSpan.Zero => wait,
        UpstreamHttpException { RetryAfter: { } wait } when wait > TimeSpan.Zero => wait,
        _ => Default,
    };
}
