using Platform.Api.Authentication;
using Platform.Api.RateLimiting;
using Platform.Infrastructure.Operations.Stats;

namespace Platform.Api.Apis.Admin;

/// <summary>Platform-wide figures for the operator's dashboard (ADR 0030): catalog, runs, throughput, cache and queues.</summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        // Created now rather than on the first request, so the cache tally counts from the start of the process.
        routes.ServiceProvider.GetRequiredService<CacheTally>();
        routes.MapGet("/api/v1/admin/stats", GetAsync).WithName("GetPlatformStats").WithTags("Admin")
            .RequireAuthorization(PlatformAdminPolicy.Name).RequireRateLimiting(RateLimitPolicies.Admin)
            .WithSummary("Platform statistics")
            .WithDescription($"""
                Needs scope `platform:admin`. Across every organization: `catalogSize` (active diamonds), `runs` started in
                the last {AdminStatistics.RunWindowDays} days by status, `lastRun` (the last completed run's items and
                items per second from start to completion; null before the first), `cache` (catalog cache hits, misses and
                hit ratio of the replica that answered, since it started) and `queueDepths` (messages per queue).
                """);
        return routes;
    }

    private static async Task<Ok<PlatformStats>> GetAsync(AdminStatistics statistics, CancellationToken cancellationToken) =>
        TypedResults.Ok(await statistics.ReadAsync(cancellationToken));
}
