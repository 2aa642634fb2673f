namespace Platform.Api.RateLimiting;

/// <summary>
/// Whether the limiter counts in Redis or, because Redis did not answer, per process. Logs each transition once (not
/// every request), and after a failure leaves Redis alone for a second so a hung server costs one timeout, not one per request.
/// </summary>
public sealed partial class RateLimitFallbackState(ILogger<RateLimitFallbackState> logger, TimeProvider time)
{
    private static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(1);

    private int _fallback;
    private long _retryRedisAtTicks;
    private long _sinceTicks;

    public bool FallbackActive => Volatile.Read(ref _fallback) == 1;

    public DateTimeOffset? FallbackSince => FallbackActive ? new DateTimeOffset(Interlocked.Read(ref _sinceTicks), TimeSpan.Zero) : null;

    public bool ShouldTryRedis() => time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _retryRedisAtTicks);

    public void RedisAnswered()
    {
        if (Interlocked.Exchange(ref _fallback, 0) == 1)
        {
            LogRecovered(logger);
        }
    }

    public void RedisFailed(Exception failure)
    {
        var now = time.GetUtcNow().UtcTicks;
        Interlocked.Exchange(ref _retryRedisAtTicks, now + RetryRedisAfter.Ticks);
        if (Interlocked.Exchange(ref _fallback, 1) == 0)
        {
            Interlocked.Exchange(ref _sinceTicks, now);
            LogFallback(logger, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits fall back to per-process counting: Redis does not answer")]
    private static partial void LogFallback(ILogger logger, Exception failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limits are counted in Redis again")]
    private static partial void LogRecovered(ILogger logger);
}
