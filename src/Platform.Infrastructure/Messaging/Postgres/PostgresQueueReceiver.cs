namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// The Postgres side of <see cref="IQueueReceiver"/>: one-statement claims and settles on <see cref="PostgresQueueStore"/>,
/// LISTEN/NOTIFY wake-ups, and completions deleted in batches by <see cref="CompletionBatcher"/> (the hot path).
/// </summary>
internal sealed class PostgresQueueReceiver : IQueueReceiver
{
    private readonly PostgresQueueStore _store;
    private readonly QueueWakeups _wakeups;
    private readonly string _queue;
    private readonly string _consumerId;
    private readonly CompletionBatcher _completions;
    private readonly Task _flushing;

    public PostgresQueueReceiver(PostgresQueueStore store, QueueWakeups wakeups, string queue, QueueOptions options, string consumerId, ILogger logger)
    {
        (_store, _wakeups, _queue, _consumerId) = (store, wakeups, queue, consumerId);
        _completions = new CompletionBatcher(store, queue, backlogLimit: 4 * Math.Max(options.Concurrency, options.BatchSize), logger);
        _flushing = _completions.RunAsync();
    }

    /// <summary>Not cancelled by stopping: one statement, and a claim that committed must reach the consumer to be released.</summary>
    public Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int count, TimeSpan lease, CancellationToken cancellationToken) =>
        _store.ClaimAsync(_queue, count, lease, _consumerId, CancellationToken.None);

    public Task WaitForMessagesAsync(TimeSpan poll, CancellationToken cancellationToken) => _wakeups.WaitAsync(_queue, poll, cancellationToken);

    public ValueTask CompleteAsync(ReceivedMessage message) => _completions.AddAsync(message);

    public Task<bool> RetryLaterAsync(ReceivedMessage message, TimeSpan delay, string reason) => _store.RetryLaterAsync(message, delay, reason);

    public Task<bool> DeadLetterAsync(ReceivedMessage message, string reason) => _store.DeadLetterAsync(message, reason);

    public Task<bool> RenewLeaseAsync(ReceivedMessage message, TimeSpan lease) => _store.RenewAsync(message, lease);

    public TimeSpan RenewInterval(TimeSpan lease) => lease / 2;

    public Task<bool> ReleaseAsync(ReceivedMessage message) => _store.ReleaseAsync(message);

    public async Task<int> ReleaseManyAsync(IReadOnlyList<ReceivedMessage> messages) => (await _store.ReleaseManyAsync(messages)).Count;

    public async Task StopAsync()
    {
        _completions.Complete();
        await _flushing;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Creates <see cref="PostgresQueueReceiver"/>s.</summary>
public sealed class PostgresQueueReceiverFactory(PostgresQueueStore store, QueueWakeups wakeups) : IQueueReceiverFactory
{
    public string System => "postgresql";

    public IQueueReceiver Create(string queue, QueueOptions options, string consumerId, ILogger logger) =>
        new PostgresQueueReceiver(store, wakeups, queue, options, consumerId, logger);
}
