using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.Infrastructure.Security.Egress;
using Polly.Timeout;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>Which failures of an attempt are worth another attempt, and count against the supplier's health.</summary>
internal static class UpstreamFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // The call already waited the longest it may for a slot; another attempt would wait again.
        UpstreamRateLimitTimeoutException => false,
        UpstreamException upstream => upstream.IsTransient,
        // The SSRF guard refused the address (ADR 0034): it will refuse it again, so retries would only delay the failure.
        _ when IsRefusedByEgressGuard(exception) => false,
        HttpRequestException or TimeoutRejectedException or IOException => true,
        _ => false,
    };

    /// <summary>The SSRF guard refused the supplier's address (ADR 0034): a supplier failure, but one that retrying cannot fix.</summary>
    public static bool IsRefusedByEgressGuard(Exception exception) =>
        exception is EgressRefusedException or HttpRequestException { InnerException: EgressRefusedException };

    /// <summary>
    /// Failures after which the supplier certainly did nothing, so even a hold or an order may be sent again: it
    /// refused to look at the request (429) or the circuit never let it leave.
    /// </summary>
    public static bool ChangedNothing(Exception exception) => exception switch
    {
        UpstreamHttpException { StatusCode: System.Net.HttpStatusCode.TooManyRequests } => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        _ => false,
    };

    /// <summary>A short name for the failure, for the outcome tag and logs (never a message that could carry data).</summary>
    public static string OutcomeOf(Exception exception) => exception switch
    {
        TimeoutRejectedException => "timeout",
        OperationCanceledException => "cancelled",
        _ when IsTransient(exception) => "transient_failure",
        _ => "failure",
    };
}
