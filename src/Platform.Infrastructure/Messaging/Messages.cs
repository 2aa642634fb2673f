namespace Platform.Infrastructure.Messaging;

/// <summary>
/// A message to send. <see cref="MessageId"/> de-duplicates (e.g. <c>{runId}:{partitionId}:{offset}</c>);
/// <see cref="VisibleAt"/> schedules delivery for later.
/// </summary>
public sealed record OutgoingMessage(string Queue, string MessageId, string Body, DateTimeOffset? VisibleAt = null)
{
    public const int MaxMessageIdLength = 200;
    public const int MaxBodyBytes = 256 * 1024;
}

/// <summary>A claimed message. <see cref="Attempt"/> counts deliveries, this one included.</summary>
public sealed record ReceivedMessage(
    long Id, string Queue, string MessageId, string Body, IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset EnqueuedAt, int Attempt, int MaxAttempts)
{
    public bool IsLastAttempt => Attempt >= MaxAttempts;

    /// <summary>
    /// The broker's lock on this delivery (Service Bus peek-lock); null with the Postgres transport, whose claim is
    /// fenced by <see cref="Attempt"/> instead. <see cref="Id"/> is the broker's sequence number there.
    /// </summary>
    public string? LockToken { get; init; }
}

/// <summary>Well-known header names carried with every message.</summary>
public static class MessageHeaders
{
    /// <summary>W3C trace context of the producer, so the consumer's span joins the producer's trace.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string EnqueuedAt = "enqueued-at";
}

/// <summary>How a handler settles a message.</summary>
public abstract record MessageOutcome
{
    public static readonly MessageOutcome Complete = new Completed();

    public static MessageOutcome RetryLater(string reason, TimeSpan? delay = null) => new Retry(reason, delay);

    public static MessageOutcome DeadLetter(string reason) => new Dead(reason);

    public sealed record Completed : MessageOutcome;

    /// <summary>Try again after <paramref name="Delay"/>, or after the queue's backoff when null.</summary>
    public sealed record Retry(string Reason, TimeSpan? Delay) : MessageOutcome;

    public sealed record Dead(string Reason) : MessageOutcome;
}

/// <summary>Handles the messages of one queue. Must be idempotent: a message may be delivered more than once.</summary>
public interface IMessageHandler
{
    Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The sending side of the transport port. The transactional overload is the outbox: the message exists if
/// and only if the caller's transaction commits. With the Postgres transport the enqueue joins that
/// transaction; a broker transport (Service Bus) writes an outbox row there and a relay sends it.
/// </summary>
public interface IMessagePublisher
{
    Task PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);

    Task PublishAsync(NpgsqlTransaction transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
