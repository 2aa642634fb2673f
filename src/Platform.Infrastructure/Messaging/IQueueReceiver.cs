namespace Platform.Infrastructure.Messaging;

/// <summary>
/// The receiving side of the transport port, one per consumed queue: claim a batch, then settle each message
/// (complete, retry later, dead-letter, release) or renew its lease. Settling returns false when the claim is no
/// longer ours (its lease ran out and another consumer claimed it): the caller then leaves the message alone.
/// <see cref="QueueConsumer{THandler}"/> runs over this port, so it works the same over Postgres and Service Bus.
/// </summary>
public interface IQueueReceiver : IAsyncDisposable
{
    /// <summary>Claims up to <paramref name="count"/> messages, leased for <paramref name="lease"/>; may return fewer or none.</summary>
    Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int count, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Waits until messages may be available (a wake-up or <paramref name="poll"/>), after a claim came back short.</summary>
    Task WaitForMessagesAsync(TimeSpan poll, CancellationToken cancellationToken);

    /// <summary>Acknowledges a handled message. May batch: returns once the completion is queued, not necessarily done.</summary>
    ValueTask CompleteAsync(ReceivedMessage message);

    Task<bool> RetryLaterAsync(ReceivedMessage message, TimeSpan delay, string reason);

    /// <summary>Moves the message into the <c>dead_letters</c> table (both transports), so admin views and replay see it.</summary>
    Task<bool> DeadLetterAsync(ReceivedMessage message, string reason);

    Task<bool> RenewLeaseAsync(ReceivedMessage message, TimeSpan lease);

    /// <summary>How often a running handler's lease is renewed: half the lease, or of the broker's lock when that is shorter.</summary>
    TimeSpan RenewInterval(TimeSpan lease);

    /// <summary>Gives a claimed message back at once (shutdown); Postgres does not count the attempt.</summary>
    Task<bool> ReleaseAsync(ReceivedMessage message);

    /// <summary>Gives back messages that never started; returns how many were released.</summary>
    Task<int> ReleaseManyAsync(IReadOnlyList<ReceivedMessage> messages);

    /// <summary>Finishes pending work (batched completions, receives still in flight) when the consumer stops.</summary>
    Task StopAsync();
}

/// <summary>Creates the receiver of the configured transport for a queue.</summary>
public interface IQueueReceiverFactory
{
    /// <summary>A short name for spans (<c>messaging.system</c>).</summary>
    string System { get; }

    IQueueReceiver Create(string queue, QueueOptions options, string consumerId, ILogger logger);
}

/// <summary>A claimed message and how long it waited after it became visible.</summary>
public sealed record ClaimedMessage(ReceivedMessage Message, TimeSpan PickupDelay);
