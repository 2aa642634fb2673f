using System.Threading.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Takes a permit of a named policy from inside an endpoint, for routes whose cost is known only once the body is read:
/// a GraphQL mutation arrives on the same route as a query, which the middleware counts as <c>catalog-read</c>, and
/// must also consume a <c>catalog-write</c> permit. The partitions and Redis windows are the middleware's own (same keys),
/// so a mutation and a REST write share one budget; only the in-process fallback during a Redis outage is separate.
/// </summary>
public sealed class PolicyPermits : IAsyncDisposable
{
    private readonly Dictionary<string, PartitionedRateLimiter<HttpContext>> _limiters = RateLimitPolicies.All.ToDictionary(
        policy => policy, policy => PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitingSetup.Partition(context, policy)));

    /// <summary>A lease of <paramref name="policy"/> for the caller; the decision also goes to the RateLimit headers of the response.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(HttpContext context, string policy) =>
        _limiters[policy].AcquireAsync(context, 1, context.RequestAborted);

    public ValueTask DisposeAsync()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
