using StackExchange.Redis;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The shared window: one sorted set per partition key, scored by the time of each admitted request. The script
/// drops entries older than the window, counts the rest and admits requests while there is room, in one atomic step,
/// so concurrent replicas can never admit more than the limit between them (ADR 0022). One call may ask for several
/// permits: the requests of a partition that arrive while its previous call is out go together (ADR 0039).
/// </summary>
public sealed class RedisSlidingWindow(IConnectionMultiplexer redis)
{
    // Time comes from Redis (TIME) rather than from each replica, so clock skew between pods cannot widen the window.
    // Returns {admitted, count before, milliseconds until the oldest entry leaves the window}.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(@windowMs)
        local limit = tonumber(@limit)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - window)
        local count = redis.call('ZCARD', @key)
        local admitted = math.max(math.min(tonumber(@permits), limit - count), 0)
        for i = 1, admitted do
            redis.call('ZADD', @key, now, @member .. ':' .. i)
        end
        if admitted > 0 then
            redis.call('PEXPIRE', @key, window)
        end
        local reset = window
        local oldest = redis.call('ZRANGE', @key, 0, 0, 'WITHSCORES')
        if oldest[2] then
            reset = window - (now - tonumber(oldest[2]))
        end
        return {admitted, count, reset}
        """);

    public bool IsConnected => redis.IsConnected;

    public Task PingAsync(TimeSpan timeout) => redis.GetDatabase().PingAsync().WaitAsync(timeout);

    /// <summary>Asks for <paramref name="permits"/> permits at once; the window admits as many as it has room for.</summary>
    public async Task<WindowGrant> AcquireAsync(string key, RateLimitPolicyOptions limits, int permits, TimeSpan timeout)
    {
        var parameters = new
        {
            key = (RedisKey)key,
            windowMs = (long)limits.Window.TotalMilliseconds,
            limit = limits.PermitLimit,
            permits,
            // Unique per call (and ':i' per permit): two requests in the same millisecond must be two entries.
            member = Guid.NewGuid().ToString("N"),
        };
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, parameters).WaitAsync(timeout);
        var values = (long[])result!;
        return new WindowGrant((int)values[0], (int)values[1], TimeSpan.FromMilliseconds(values[2]));
    }
}

/// <summary>
/// What one script call granted: the first <see cref="Admitted"/> of the permits asked for, on top of
/// <see cref="CountBefore"/> requests already in the window.
/// </summary>
public readonly record struct WindowGrant(int Admitted, int CountBefore, TimeSpan ResetAfter)
{
    /// <summary>The answer for the permit at <paramref name="index"/> of the call, as if each had been asked for alone, in order.</summary>
    public RateLimitDecision Decision(int index, string policy, RateLimitPolicyOptions limits)
    {
        var admitted = index < Admitted;
        var counted = CountBefore + (admitted ? index + 1 : Admitted);
        return new RateLimitDecision(policy, admitted, limits.PermitLimit, Math.Max(limits.PermitLimit - counted, 0), limits.Window, ResetAfter);
    }
}
