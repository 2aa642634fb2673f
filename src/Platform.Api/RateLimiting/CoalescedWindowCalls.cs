using Platform.Infrastructure.Concurrency;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The Redis calls of one partition, coalesced (<see cref="GroupCommit{TItem,TResult}"/>): while a call is out, the
/// requests that arrive wait and then go together in the next call, which asks the window for all their permits at
/// once (ADR 0040). Each request still gets its own exact answer, in arrival order, but a busy key costs one round trip
/// per batch instead of one per request.
/// </summary>
public sealed class CoalescedWindowCalls(Func<int, Task<WindowGrant>> call)
{
    /// <summary>Bounds one script run (a ZADD per permit), and so how long Redis is busy with one key.</summary>
    public const int MaxBatch = 256;

    // A request carries nothing but its place in the batch; the call asks for one permit per request.
    private readonly GroupCommit<bool, (WindowGrant Grant, int Index)> _calls = new(async requests =>
    {
        var grant = await call(requests.Count);
        return [.. Enumerable.Range(0, requests.Count).Select(index => (grant, index))];
    }, MaxBatch);

    /// <summary>The grant of the call this request went in, and the request's place in it.</summary>
    public Task<(WindowGrant Grant, int Index)> AcquireAsync() => _calls.SubmitAsync(true);
}
