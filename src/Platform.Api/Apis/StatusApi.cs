using System.Reflection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Api.RateLimiting;
using Platform.Infrastructure.Operations.Health;

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
            .WithDescription("Public and unauthenticated: `operational`, `degraded` or `unavailable`, for storefront status pages. No component detail. The answer may be up to `Health:Readiness:StatusCacheSeconds` (5 s) old.");
        return routes;
    }

    private static async Task<Ok<StatusResponse>> GetStatusAsync(StatusSummary summary, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = await summary.GetAsync(cancellationToken) switch
        {
            HealthStatus.Healthy => "operational",
            HealthStatus.Degraded => "degraded",
            _ => "unavailable",
        };
        return TypedResults.Ok(new StatusResponse("platform-api", Version, status, time.GetUtcNow()));
    }
}

/// <summary>
/// The public status is a health report reused for <see cref="ReadinessOptions.StatusCacheSeconds"/>: anonymous callers
/// cannot make the api ping Postgres and Redis at the rate limiter's pace. One report at a time (callers arriving while it
/// runs wait for it); the queue and error figures inside come from the background sample in any case.
/// </summary>
public sealed class StatusSummary(HealthCheckService health, TimeProvider time, IOptionsMonitor<ReadinessOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Report? _last;

    public async Task<HealthStatus> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } status)
        {
            return status;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }
            var report = await health.CheckHealthAsync(cancellationToken);
            _last = new Report(report.Status, time.GetUtcNow());
            return report.Status;
        }
        finally
        {
            _gate.Release();
        }
    }

    private HealthStatus? Fresh() =>
        _last is { } last && time.GetUtcNow() - last.At < TimeSpan.FromSeconds(options.CurrentValue.StatusCacheSeconds) ? last.Status : null;

    public void Dispose() => _gate.Dispose();

    private sealed record Report(HealthStatus Status, DateTimeOffset At);
}
