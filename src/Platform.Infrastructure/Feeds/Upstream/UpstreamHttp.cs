using System.Globalization;

namespace Platform.Infrastructure.Feeds.Upstream;

/// <summary>
/// The named HttpClient of supplier calls, and the status check every adapter applies. The client carries no
/// resilience handler of its own: <see cref="UpstreamGateway"/> owns retries, timeouts and the breaker per feed.
/// </summary>
public static class UpstreamHttp
{
    public const string ClientName = "Platform.Upstream";

    private const int DetailLimit = 300;

    /// <summary>Sends and returns a success response, or throws <see cref="UpstreamHttpException"/> carrying status, Retry-After and the start of the body.</summary>
    internal static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpRequestMessage request, string what, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var detail = body.Length > DetailLimit ? string.Concat(body.AsSpan(0, DetailLimit), "…") : body;
            throw new UpstreamHttpException(
                response.StatusCode,
                RetryAfterOf(response, timeProvider),
                string.Create(CultureInfo.InvariantCulture, $"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}"));
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
