using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Degraded, never Unhealthy, while limits are counted per process: the api still serves and still limits, but with N
/// replicas a client may get up to N times its budget. While the fallback is on it pings Redis itself, so readiness
/// recovers when Redis is back even if no limited request has come in since.
/// </summary>
public sealed class RateLimitHealthCheck(RateLimitFallbackState state, RedisSlidingWindow redis, IOptions<RateLimitOptions> options) : IHealthCheck
{
    public const string Name = "rate-limits";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.FallbackActive && redis.IsConnected)
        {
            try
            {
                await redis.PingAsync(TimeSpan.FromMilliseconds(options.Value.RedisTimeoutMilliseconds)).WaitAsync(cancellationToken);
                state.RedisAnswered();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                state.RedisFailed(e);
            }
        }
        if (state.FallbackActive || !redis.IsConnected)
        {
            var data = new Dictionary<string, object> { ["mode"] = "per-process" };
            if (state.FallbackSince is { } since)
            {
                data["since"] = since;
            }
            return new HealthCheckResult(context.Registration.FailureStatus,
                "Redis does not answer: rate limits are counted per process, not shared by the replicas.", data: data);
        }
        return HealthCheckResult.Healthy(data: new Dictionary<string, object> { ["mode"] = "redis" });
    }
}
