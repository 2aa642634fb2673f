using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Platform.ServiceDefaults.Health;

/// <summary>
/// Pings Redis. Written here rather than taken from AspNetCore.HealthChecks.Redis, which is built against
/// StackExchange.Redis 2.x; this one is four lines against the 3.x client we use.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy(data: new Dictionary<string, object> { ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 2) });
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer; caches and limits run per process.", e);
        }
    }
}
