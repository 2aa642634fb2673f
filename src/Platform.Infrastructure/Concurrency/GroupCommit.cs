namespace Platform.Infrastructure.Concurrency;

/// <summary>
/// Group commit: items submitted while a batch is being committed wait, and go together into the next batch. With
/// nothing in flight an item goes at once, alone; under load one commit serves many items, so a round trip or a
/// transaction is paid per batch instead of per item. An item waits at most for the commits in flight and then its own.
/// Used for the Redis calls of a rate-limit partition (ADR 0040) and for the worker's page writes (ADR 0041).
/// </summary>
/// <param name="commit">Commits a batch, in submission order; returns one result per item, in the same order. If it
/// throws, every item of the batch gets the exception.</param>
/// <param name="maxBatch">Most items in one batch.</param>
/// <param name="maxConcurrent">Most batches in flight at once; each takes what is waiting when it starts.</param>
public sealed class GroupCommit<TItem, TResult>(
    Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit, int maxBatch, int maxConcurrent = 1)
{
    private readonly Lock _gate = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Result)> _waiting = new();
    private int _committing;

    public Task<TResult> SubmitAsync(TItem item)
    {
        var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue((item, result));
            if (_committing >= maxConcurrent)
            {
                return result.Task;
            }
            _committing++;
        }
        // The loop serves every submitter, so it must not carry the first one's execution context (trace, log scope).
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(CommitWhileWaitingAsync);
        }
        return result.Task;
    }

    private async Task CommitWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var results = await commit([.. batch.Select(w => w.Item)]);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A commit of {batch.Count} items returned {results.Count} results.");
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.SetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Each submitter gets the failure and decides for itself.
                foreach (var (_, result) in batch)
                {
                    result.TrySetException(e);
                }
            }
        }
    }

    private List<(TItem Item, TaskCompletionSource<TResult> Result)>? TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _committing--;
                return null;
            }
            var batch = new List<(TItem, TaskCompletionSource<TResult>)>(Math.Min(_waiting.Count, maxBatch));
            while (batch.Count < maxBatch && _waiting.TryDequeue(out var waiting))
            {
                batch.Add(waiting);
            }
            return batch;
        }
    }
}
