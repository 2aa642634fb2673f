using System.Globalization;
using Microsoft.Net.Http.Headers;
using Platform.Api.Errors;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The IETF draft fields (draft-ietf-httpapi-ratelimit-headers) on every answer of a limited route, and the 429 problem.
/// Format, as documented in docs/api/rest.md:
/// <c>RateLimit-Policy: "catalog-read";q=500;w=60</c> and <c>RateLimit: "catalog-read";r=499;t=60</c>.
/// </summary>
public static class RateLimitHeaders
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string LimitHeader = "RateLimit";

    public static string PolicyValue(RateLimitDecision d) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{d.Policy}\";q={d.Limit};w={d.WindowSeconds}");

    public static string LimitValue(RateLimitDecision d) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{d.Policy}\";r={d.Remaining};t={d.ResetSeconds}");

    /// <summary>Adds the fields when the response starts, so error answers and the 429 carry them too.</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                if (context.Features.Get<RateLimitDecision>() is { } decision)
                {
                    context.Response.Headers[PolicyHeader] = PolicyValue(decision);
                    context.Response.Headers[LimitHeader] = LimitValue(decision);
                }
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>429 <c>RATE_LIMITED</c> with Retry-After in whole seconds (at least 1, so a client never retries at once).</summary>
    public static async ValueTask WriteRejectionAsync(HttpContext context)
    {
        var decision = context.Features.Get<RateLimitDecision>();
        var retryAfter = Math.Max(decision?.ResetSeconds ?? 1, 1);
        context.Response.Headers[HeaderNames.RetryAfter] = retryAfter.ToString(CultureInfo.InvariantCulture);
        var detail = decision is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"Policy '{decision.Policy}' allows {decision.Limit} requests per {decision.WindowSeconds} s; retry in {retryAfter} s.");
        RateLimitTelemetry.Rejected(decision?.Policy);
        await ApiProblem.WriteAsync(context, ErrorCatalog.RateLimited, detail);
    }
}
