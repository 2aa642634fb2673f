namespace Platform.Testing.ServiceBus;

/// <summary>A queue's settings in the fake, as a namespace declares them (infra/modules/servicebus.bicep).</summary>
public sealed record FakeEntitySettings(TimeSpan LockDuration, int MaxDeliveryCount, TimeSpan DuplicateDetectionWindow)
{
    /// <summary>The pipeline queue defaults: lock 2 minutes, 5 deliveries, duplicate detection 10 minutes.</summary>
    public static FakeEntitySettings Default { get; } = new(TimeSpan.FromMinutes(2), 5, TimeSpan.FromMinutes(10));
}

/// <summary>One message in the fake's store.</summary>
public sealed class FakeMessage
{
    public required long SequenceNumber { get; init; }
    public required string MessageId { get; init; }
    public required string Body { get; init; }
    public required IReadOnlyDictionary<string, string> Properties { get; init; }
    public required DateTimeOffset EnqueuedAt { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public int DeliveryCount { get; set; }
    public Guid? LockToken { get; set; }
    public DateTimeOffset LockedUntil { get; set; }
    public string? DeadLetterReason { get; set; }
}

/// <summary>
/// A queue with Service Bus semantics: messages visible from their scheduled time, peek-locks that expire after the
/// lock duration, a delivery count per lock, dead-lettering into the <c>$deadletterqueue</c> subqueue once the
/// count reached the maximum, and duplicate detection of message ids within a window.
/// </summary>
public sealed class FakeEntity(string name, FakeEntitySettings settings, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<FakeMessage> _messages = [];
    private readonly List<FakeMessage> _deadLetters = [];
    private readonly Dictionary<string, DateTimeOffset> _seenIds = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public string Name => name;
    public FakeEntitySettings Settings => settings;
    public int Accepted { get; private set; }
    public int DuplicatesDropped { get; private set; }
    public int Deliveries { get; private set; }
    public int Completed { get; private set; }

    public int ActiveCount { get { lock (_gate) { return _messages.Count; } } }

    public IReadOnlyList<FakeMessage> DeadLetters { get { lock (_gate) { return [.. _deadLetters]; } } }

    public IReadOnlyList<FakeMessage> Messages { get { lock (_gate) { return [.. _messages]; } } }

    /// <summary>Adds a message unless its id was seen within the duplicate detection window (then drops it, as the broker does).</summary>
    public bool Send(string messageId, string body, IReadOnlyDictionary<string, string> properties, DateTimeOffset? scheduledAt)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _seenIds.Where(s => s.Value <= now - settings.DuplicateDetectionWindow).Select(s => s.Key).ToList())
            {
                _seenIds.Remove(stale);
            }
            if (_seenIds.ContainsKey(messageId))
            {
                DuplicatesDropped++;
                return false;
            }
            _seenIds[messageId] = now;
            _messages.Add(new FakeMessage
            {
                SequenceNumber = ++_sequence, MessageId = messageId, Body = body, Properties = properties, EnqueuedAt = now,
                ScheduledAt = scheduledAt > now ? scheduledAt : null,
            });
            Accepted++;
            Pulse();
            return true;
        }
    }

    /// <summary>Locks the next available message, or null. Messages whose deliveries are used up move to the dead-letter subqueue.</summary>
    public FakeMessage? TryLock()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            while (true)
            {
                var next = _messages.FirstOrDefault(m => (m.ScheduledAt is null || m.ScheduledAt <= now) && (m.LockToken is null || m.LockedUntil <= now));
                if (next is null)
                {
                    return null;
                }
                if (next.DeliveryCount >= settings.MaxDeliveryCount)
                {
                    _messages.Remove(next);
                    next.LockToken = null;
                    next.DeadLetterReason = "MaxDeliveryCountExceeded";
                    _deadLetters.Add(next);
                    continue;
                }
                next.DeliveryCount++;
                next.LockToken = Guid.NewGuid();
                next.LockedUntil = now + settings.LockDuration;
                Deliveries++;
                return next;
            }
        }
    }

    /// <summary>Locks the next message of the dead-letter subqueue (no expiry games: it is for draining).</summary>
    public FakeMessage? TryLockDeadLetter()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var next = _deadLetters.FirstOrDefault(m => m.LockToken is null || m.LockedUntil <= now);
            if (next is not null)
            {
                next.DeliveryCount++;
                next.LockToken = Guid.NewGuid();
                next.LockedUntil = now + settings.LockDuration;
            }
            return next;
        }
    }

    public enum LockAction { Complete, Unlock, Renew }

    /// <summary>Settles or renews a lock; false when no message holds that lock any more (expired, or settled already).</summary>
    public bool Apply(string idOrSequence, Guid lockToken, LockAction action, bool deadLetterQueue = false)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var store = deadLetterQueue ? _deadLetters : _messages;
            var message = store.FirstOrDefault(m => m.LockToken == lockToken && m.LockedUntil > now
                && (m.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) == idOrSequence || m.MessageId == idOrSequence));
            if (message is null)
            {
                return false;
            }
            switch (action)
            {
                case LockAction.Complete:
                    store.Remove(message);
                    Completed++;
                    break;
                case LockAction.Unlock:
                    message.LockToken = null;
                    Pulse();
                    break;
                case LockAction.Renew:
                    message.LockedUntil = now + settings.LockDuration;
                    break;
            }
            return true;
        }
    }

    /// <summary>Completes when the queue changes (a send or an unlock) or after <paramref name="max"/>, whichever comes first.</summary>
    public Task WaitForChangeAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            changed = _changed.Task;
        }
        return Task.WhenAny(changed, Task.Delay(max, cancellationToken));
    }

    private void Pulse() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
