using System.Threading.Channels;

namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// Deletes completed messages in batches, like a group commit: one DELETE is in flight at a time, and every
/// completion that arrives meanwhile goes out with the next one. There is no timer, so a lone completion is
/// deleted at once, and under load one round trip settles many messages.
/// </summary>
/// <remarks>
/// A message is added only after its handler returned <see cref="MessageOutcome.Complete"/>, so its effects are
/// committed before it is acknowledged. If the process dies before the DELETE, the lease runs out and the message
/// is delivered again, which idempotent handlers tolerate.
/// </remarks>
internal sealed partial class CompletionBatcher(PostgresQueueStore store, string queue, int backlogLimit, ILogger logger)
{
    /// <summary>Ids per statement: a bound on the statement, not a target; batches are usually far smaller.</summary>
    private const int MaxBatch = 1_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly Channel<ReceivedMessage> _pending = Channel.CreateUnbounded<ReceivedMessage>(new() { SingleReader = true });
    private TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _backlog;

    /// <summary>
    /// Queues the delete of a completed message. Returns at once unless more than the backlog limit await their
    /// DELETE (the database is slow): then the caller waits, which stops its consumer from claiming more.
    /// </summary>
    public async ValueTask AddAsync(ReceivedMessage message)
    {
        Interlocked.Increment(ref _backlog);
        if (!_pending.Writer.TryWrite(message))
        {
            // Stopped already (a handler outlived the shutdown): settle it on its own.
            Interlocked.Decrement(ref _backlog);
            await FlushAsync([message]);
            return;
        }
        while (true)
        {
            // Take the flush signal before reading the backlog: a flush lowers the backlog before it swaps the
            // signal, so a waiter never sleeps on a signal that no pending flush will set.
            var flushed = Volatile.Read(ref _flushed);
            if (Volatile.Read(ref _backlog) <= backlogLimit)
            {
                return;
            }
            await flushed.Task;
        }
    }

    /// <summary>Runs the flush loop until <see cref="Complete"/> is called and every queued completion is settled.</summary>
    public async Task RunAsync()
    {
        var batch = new List<ReceivedMessage>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }
            try
            {
                await FlushAsync(batch);
            }
            catch (Exception e)
            {
                // Anything unforeseen: the leases run out and the messages come back. The loop must go on, or
                // every later completion of this consumer would wait here for good.
                LogFlushFailed(e, queue, batch.Count);
            }
            Interlocked.Add(ref _backlog, -batch.Count);
            batch.Clear();
            Interlocked.Exchange(ref _flushed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public void Complete() => _pending.Writer.TryComplete();

    private async Task FlushAsync(List<ReceivedMessage> batch)
    {
        IReadOnlyList<long> deleted;
        try
        {
            deleted = await store.CompleteManyAsync(batch);
        }
        catch (Exception first) when (first is NpgsqlException or TimeoutException)
        {
            // After a Postgres restart the pool's connections are broken; one retry on a fresh connection saves
            // redelivering the whole batch.
            await Task.Delay(RetryDelay);
            try
            {
                deleted = await store.CompleteManyAsync(batch);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Not settled: the leases run out and the messages are delivered again; handlers are idempotent.
                LogFlushFailed(e, queue, batch.Count);
                return;
            }
        }
        MessagingTelemetry.Settled.Add(deleted.Count, MessagingTelemetry.Queue(queue), MessagingTelemetry.Outcome("completed"));
        if (deleted.Count == batch.Count)
        {
            return;
        }
        var settled = deleted.ToHashSet();
        foreach (var message in batch.Where(m => !settled.Contains(m.Id)))
        {
            MessagingTelemetry.Settled.Add(1, MessagingTelemetry.Queue(queue), MessagingTelemetry.Outcome("lease_lost"));
            LogLeaseLost(queue, message.MessageId, message.Attempt);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completing {Count} messages of {Queue} failed; they will be redelivered")]
    private partial void LogFlushFailed(Exception exception, string queue, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of {Queue} (attempt {Attempt}) was not completed: its lease had passed to another claim")]
    private partial void LogLeaseLost(string queue, string messageId, int attempt);
}
