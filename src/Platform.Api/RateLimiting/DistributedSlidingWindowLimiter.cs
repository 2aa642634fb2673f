using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The limiter of one partition (a policy and a client IP or API key). It asks the shared Redis window, concurrent
/// requests sharing one call (ADR 0040); when Redis is unreachable or slower than the timeout, it counts in an
/// in-process <see cref="SlidingWindowRateLimiter"/> instead, so a Redis outage loosens limits to per replica but never
/// fails a request.
/// </summary>
public sealed class DistributedSlidingWindowLimiter(
    string policy,
    string redisKey,
    RateLimitPolicyOptions limits,
    TimeSpan redisTimeout,
    RedisSlidingWindow redis,
    RateLimitFallbackState state,
    IHttpContextAccessor contexts,
    TimeProvider time) : RateLimiter
{
    // Six segments: the in-process window moves in steps of a sixth (10 s for a minute), close enough for a fallback.
    private const int FallbackSegments = 6;

    private readonly Lock _gate = new();
    private readonly CoalescedWindowCalls _calls = new(permits => redis.AcquireAsync(redisKey, limits, permits, redisTimeout));
    private SlidingWindowRateLimiter? _fallback;
    private long _lastUsedTicks = time.GetUtcNow().UtcTicks;

    /// <summary>
    /// The framework drops partitions idle for a while; an in-process window must live until its requests have left it,
    /// so the limiter only counts as idle after a whole window without requests.
    /// </summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var idle = TimeSpan.FromTicks(time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastUsedTicks)) - limits.Window;
            return idle > TimeSpan.Zero ? idle : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics() => _fallback?.GetStatistics();

    /// <summary>
    /// The synchronous path may not wait for Redis; answering "not yet" sends the middleware to <see cref="AcquireAsyncCore"/>.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => DecisionLease.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsedTicks, time.GetUtcNow().UtcTicks);
        var decision = await DecideAsync();
        if (contexts.HttpContext is { } context)
        {
            context.Features.Set(decision);
        }
        return new DecisionLease(decision);
    }

    private async Task<RateLimitDecision> DecideAsync()
    {
        // No IsConnected shortcut: a multiplexer that is still connecting queues the command and answers within the
        // timeout; one that has no connection fails at once. Either way the back-off spares the following requests.
        if (state.ShouldTryRedis())
        {
            try
            {
                var (grant, index) = await _calls.AcquireAsync();
                state.RedisAnswered();
                return grant.Decision(index, policy, limits);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                state.RedisFailed(e);
            }
        }
        return DecideInProcess();
    }

    private RateLimitDecision DecideInProcess()
    {
        var fallback = Fallback();
        using var lease = fallback.AttemptAcquire();
        var remaining = (int)(fallback.GetStatistics()?.CurrentAvailablePermits ?? 0);
        var reset = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Window / FallbackSegments;
        return new RateLimitDecision(policy, lease.IsAcquired, limits.PermitLimit, remaining, limits.Window, reset);
    }

    private SlidingWindowRateLimiter Fallback()
    {
        lock (_gate)
        {
            return _fallback ??= new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limits.PermitLimit,
                Window = limits.Window,
                SegmentsPerWindow = FallbackSegments,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fallback?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>A lease that carries the decision, and Retry-After when refused, for the rejection handler.</summary>
    private sealed class DecisionLease(RateLimitDecision? decision) : RateLimitLease
    {
        public static readonly DecisionLease NotYet = new(null);

        public override bool IsAcquired => decision?.Admitted == true;

        public override IEnumerable<string> MetadataNames => decision is { Admitted: false } ? [MetadataName.RetryAfter.Name] : [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (decision is { Admitted: false } && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = decision.ResetAfter;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
