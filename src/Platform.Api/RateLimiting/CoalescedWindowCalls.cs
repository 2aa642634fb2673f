namespace Platform.Api.RateLimiting;

/// <summary>
/// The Redis calls of one partition, coalesced: while a call is out, the requests that arrive wait and then go together in
/// the next call, which asks the window for all their permits at once (ADR 0039). Each request still gets its own exact
/// answer, in arrival order, but a busy key costs one round trip per batch instead of one per request. As with a
/// database's group commit, a request waits at most for the call in flight and then its own.
/// </summary>
public sealed class CoalescedWindowCalls(Func<int, Task<WindowGrant>> call)
{
    /// <summary>Bounds one script run (a ZADD per permit), and so how long Redis is busy with one key.</summary>
    public const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource<(WindowGrant Grant, int Index)>> _waiting = new();
    private bool _calling;

    /// <summary>The grant of the call this request went in, and the request's place in it.</summary>
    public Task<(WindowGrant Grant, int Index)> AcquireAsync()
    {
        var waiter = new TaskCompletionSource<(WindowGrant, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue(waiter);
            if (_calling)
            {
                return waiter.Task;
            }
            _calling = true;
        }
        _ = CallWhileWaitingAsync();
        return waiter.Task;
    }

    private async Task CallWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var grant = await call(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].SetResult((grant, i));
                }
            }
            catch (Exception e)
            {
                // Each waiter gets the failure and decides for itself (the limiter counts in process instead).
                foreach (var waiter in batch)
                {
                    waiter.SetException(e);
                }
            }
        }
    }

    private List<TaskCompletionSource<(WindowGrant Grant, int Index)>>? TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _calling = false;
                return null;
            }
            var batch = new List<TaskCompletionSource<(WindowGrant Grant, int Index)>>(Math.Min(_waiting.Count, MaxBatch));
            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var waiter))
            {
                batch.Add(waiter);
            }
            return batch;
        }
    }
}
