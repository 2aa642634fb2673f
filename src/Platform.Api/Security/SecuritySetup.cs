using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Platform.Api.Security;

/// <summary>Hardening of the HTTP surface: CORS, body limits, security headers, HSTS and HTTPS redirection.</summary>
public static class SecuritySetup
{
    public static IServiceCollection AddApiSecurity(this IServiceCollection services)
    {
        services.AddCrossOriginPolicy();
        services.AddOptions<RequestBodyOptions>().BindConfiguration(RequestBodyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // "Server: Kestrel" tells an attacker which CVEs to try and a client nothing it needs.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return services;
    }

    /// <summary>Headers and transport first, so redirects and errors carry them too.</summary>
    public static WebApplication UseApiTransportAndHeaders(this WebApplication app)
    {
        // First: the client IP and scheme that everything after (HTTPS redirection, rate limits, logs) sees. Only headers
        // from the configured proxies are believed (RateLimitingSetup).
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseTransportSecurity();
        return app;
    }

    /// <summary>After the error handler, so an oversized body that escapes as an exception still becomes a 413 problem.</summary>
    public static WebApplication UseApiRequestGuards(this WebApplication app)
    {
        app.UseCors();
        app.UseMiddleware<RequestBodyLimit>();
        return app;
    }
}
