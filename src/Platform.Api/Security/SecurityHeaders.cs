using Microsoft.Net.Http.Headers;

namespace Platform.Api.Security;

/// <summary>
/// Browser-facing protections on every response, errors and unknown paths included. The headers are added when the
/// response starts, so the exception handler's <c>Response.Clear()</c> and the status-code pages cannot drop them.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>JSON answers load nothing and may not be framed.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The Scalar reference at <c>/docs</c> runs its own scripts, styles and fonts; a full policy for it would break
    /// with every Scalar release, so it only gets the anti-framing directive.
    /// </summary>
    public const string DocsContentSecurityPolicy = "frame-ancestors 'none'";

    public const string DocsPath = "/docs";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state => Apply((HttpContext)state), context);
            return next(context);
        });

    private static Task Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.ContentSecurityPolicy] = context.Request.Path.StartsWithSegments(DocsPath)
            ? DocsContentSecurityPolicy
            : ApiContentSecurityPolicy;

        // Answers under /api/v1 are organization data or answers to a key: no browser or proxy may keep a copy.
        // A handler that chose its own caching (none does yet) keeps it.
        if (context.Request.Path.StartsWithSegments("/api") && !headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers[HeaderNames.CacheControl] = "no-store";
        }
        return Task.CompletedTask;
    }
}
