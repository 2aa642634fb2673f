using System.Net;

namespace Platform.Infrastructure.Feeds.Upstream;

/// <summary>
/// A supplier call that failed. <see cref="IsTransient"/> tells the caller whether the same call may succeed later,
/// which is what retries, the circuit breaker and the pipeline's page retry decide on.
/// </summary>
public abstract class UpstreamException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    public abstract bool IsTransient { get; }
}

/// <summary>
/// The supplier answered with a non-success status. 408, 429 and 5xx are transient; any other 4xx means the request
/// itself is wrong (bad parameters, bad credentials) and repeating it would only repeat the answer.
/// </summary>
public sealed class UpstreamHttpException(HttpStatusCode statusCode, TimeSpan? retryAfter, string message)
    : UpstreamException(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The supplier's <c>Retry-After</c>, when it sent one; retries wait this long instead of the backoff.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsTransient => IsTransientStatus(StatusCode);

    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}

/// <summary>The supplier answered success with a body we cannot read: a contract break, not something a retry fixes.</summary>
public sealed class UpstreamResponseException(string message, Exception? innerException = null)
    : UpstreamException(message, innerException)
{
    public override bool IsTransient => false;
}
