using System.Reflection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Api.RateLimiting;

namespace Platform.Api.Apis;

/// <summary>A public, unauthenticated status summary for storefront status pages (no component detail).</summary>
public static class StatusApi
{
    public sealed record StatusResponse(string Service, string Version, string Status, DateTimeOffset Time);

    private static readonly string Version =
        typeof(StatusApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/status", GetStatusAsync).AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Public).WithName("GetStatus").WithTags("Status")
            .WithSummary("Service status")
            .WithDescription("Public and unauthenticated: `operational`, `degraded` or `unavailable`, for storefront status pages. No component detail.");
        return routes;
    }

    private static async Task<Ok<StatusResponse>> GetStatusAsync(HealthCheckService health, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var status = report.Status switch
        {
            HealthStatus.Healthy => "operational",
            HealthStatus.Degraded => "degraded",
            _ => "unavailable",
        };
        return TypedResults.Ok(new StatusResponse("platform-api", Version, status, time.GetUtcNow()));
    }
}
