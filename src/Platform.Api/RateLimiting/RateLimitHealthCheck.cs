using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Degraded, never Unhealthy, while limits are counted per process: the api still serves and still limits, but with N
/// replicas a client may get up to N times its budget.
/// </summary>
public sealed class RateLimitHealthCheck(RateLimitFallbackState state, RedisSlidingWindow redis) : IHealthCheck
{
    public const string Name = "rate-limits";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.FallbackActive || !redis.IsConnected)
        {
            var data = new Dictionary<string, object> { ["mode"] = "per-process" };
            if (state.FallbackSince is { } since)
            {
                data["since"] = since;
            }
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                "Redis does not answer: rate limits are counted per process, not shared by the replicas.", data: data));
        }
        return Task.FromResult(HealthCheckResult.Healthy(data: new Dictionary<string, object> { ["mode"] = "redis" }));
    }
}
