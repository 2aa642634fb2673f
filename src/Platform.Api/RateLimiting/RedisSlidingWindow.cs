using StackExchange.Redis;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The shared window: one sorted set per partition key, scored by the time of each admitted request. The script
/// drops entries older than the window, counts the rest and admits the request when there is room, in one atomic step,
/// so concurrent replicas can never admit more than the limit between them (ADR 0022).
/// </summary>
public sealed class RedisSlidingWindow(IConnectionMultiplexer redis)
{
    // Time comes from Redis (TIME) rather than from each replica, so clock skew between pods cannot widen the window.
    // Returns {admitted, remaining, milliseconds until the oldest entry leaves the window}.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(@windowMs)
        local limit = tonumber(@limit)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - window)
        local count = redis.call('ZCARD', @key)
        local admitted = 0
        if count < limit then
            redis.call('ZADD', @key, now, @member)
            redis.call('PEXPIRE', @key, window)
            count = count + 1
            admitted = 1
        end
        local reset = window
        local oldest = redis.call('ZRANGE', @key, 0, 0, 'WITHSCORES')
        if oldest[2] then
            reset = window - (now - tonumber(oldest[2]))
        end
        return {admitted, limit - count, reset}
        """);

    public bool IsConnected => redis.IsConnected;

    public Task PingAsync(TimeSpan timeout) => redis.GetDatabase().PingAsync().WaitAsync(timeout);

    public async Task<RateLimitDecision> AcquireAsync(string policy, string key, RateLimitPolicyOptions limits, TimeSpan timeout)
    {
        var parameters = new
        {
            key = (RedisKey)key,
            windowMs = (long)limits.Window.TotalMilliseconds,
            limit = limits.PermitLimit,
            // Unique per request: two requests in the same millisecond must be two entries.
            member = Guid.NewGuid().ToString("N"),
        };
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, parameters).WaitAsync(timeout);
        var values = (long[])result!;
        return new RateLimitDecision(policy, values[0] == 1, limits.PermitLimit, (int)Math.Max(values[1], 0), limits.Window,
            TimeSpan.FromMilliseconds(values[2]));
    }
}
