using System.Globalization;
using System.Text.Json;

namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// The Service Bus side of <see cref="IQueueReceiver"/>. A claim keeps up to <c>count</c> peek-lock long polls open
/// at once (several receivers per queue) and returns as soon as one brings a message, with every other poll that
/// has finished by then; polls still open carry over to the next claim rather than being cancelled, because a
/// cancelled request may still lock a message on the broker. The attempt is the broker's delivery count plus the
/// attempts of earlier copies (see <see cref="RetryLaterAsync"/>).
/// </summary>
internal sealed partial class ServiceBusQueueReceiver(
    ServiceBusRestClient client, DeadLetterStore deadLetters, string queue, QueueOptions options, TimeProvider time, ILogger logger) : IQueueReceiver
{
    private readonly List<Task<BrokerDelivery?>> _polls = [];
    // The queue's lock duration as the broker reports it (LockedUntilUtc at receipt); the entity, not our options, decides.
    private long _lockTicks = long.MaxValue;

    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int count, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_polls)
        {
            while (_polls.Count < count)
            {
                _polls.Add(Task.Run(() => client.ReceiveAsync(queue, CancellationToken.None), CancellationToken.None));
            }
        }
        Task<BrokerDelivery?>[] open;
        lock (_polls)
        {
            open = [.. _polls];
        }
        try
        {
            await Task.WhenAny(open).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        var claimed = new List<ClaimedMessage>();
        Exception? failure = null;
        lock (_polls)
        {
            foreach (var poll in _polls.Where(p => p.IsCompleted).ToList())
            {
                _polls.Remove(poll);
                if (poll.IsCompletedSuccessfully)
                {
                    if (poll.Result is { } delivery)
                    {
                        claimed.Add(ToClaimed(delivery));
                    }
                }
                else
                {
                    failure ??= poll.Exception!.InnerException;
                }
            }
        }
        if (claimed.Count == 0 && failure is not null)
        {
            // Only when nothing came: the consumer logs it and backs off; a message in hand must not be dropped.
            throw failure;
        }
        return claimed;
    }

    /// <summary>The long poll is the wait: nothing to add.</summary>
    public Task WaitForMessagesAsync(TimeSpan poll, CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask CompleteAsync(ReceivedMessage message)
    {
        try
        {
            var completed = await client.CompleteAsync(queue, message.Id, message.LockToken!);
            MessagingTelemetry.Settled.Add(1, MessagingTelemetry.Queue(queue), MessagingTelemetry.Outcome(completed ? "completed" : "lease_lost"));
        }
        catch (MessagingTransportException e)
        {
            // Not acknowledged: the lock runs out and the message comes back; handlers are idempotent.
            LogCompleteFailed(e, queue, message.MessageId);
        }
    }

    /// <summary>
    /// Schedules a copy at now + delay, then completes the original. Service Bus has no "abandon with delay": an
    /// unlock makes the message visible at once, so backoff would not hold. The copy carries the attempts so far
    /// (<see cref="ServiceBusRestClient.AttemptsBeforeProperty"/>) and a distinct broker id, or duplicate detection
    /// would drop it. A crash between the two calls delivers both, which idempotent handlers tolerate.
    /// </summary>
    public async Task<bool> RetryLaterAsync(ReceivedMessage message, TimeSpan delay, string reason)
    {
        var properties = new Dictionary<string, string>(message.Headers, StringComparer.Ordinal)
        {
            [ServiceBusRestClient.AttemptsBeforeProperty] = message.Attempt.ToString(CultureInfo.InvariantCulture),
            [ServiceBusRestClient.MessageIdProperty] = message.MessageId,
        };
        var copy = new BrokerMessage($"{message.MessageId}#retry{message.Attempt}", message.Body, time.GetUtcNow() + delay, properties);
        await client.SendAsync(queue, [copy], CancellationToken.None);
        return await client.CompleteAsync(queue, message.Id, message.LockToken!);
    }

    /// <summary>Into our <c>dead_letters</c> table first, then completed: a crash in between leaves a duplicate dead letter, never none.</summary>
    public async Task<bool> DeadLetterAsync(ReceivedMessage message, string reason)
    {
        var id = await deadLetters.InsertAsync(message, reason);
        if (await client.CompleteAsync(queue, message.Id, message.LockToken!))
        {
            return true;
        }
        // The lock had passed to another delivery: that one decides; withdraw ours.
        await deadLetters.DeleteAsync(id);
        return false;
    }

    public TimeSpan RenewInterval(TimeSpan lease) => TimeSpan.FromTicks(Math.Min(lease.Ticks, Volatile.Read(ref _lockTicks)) / 2);

    public Task<bool> RenewLeaseAsync(ReceivedMessage message, TimeSpan lease) => client.RenewLockAsync(queue, message.Id, message.LockToken!);

    /// <summary>Unlock: the broker counts the delivery anyway (unlike Postgres); MaxAttempts leaves room for it.</summary>
    public Task<bool> ReleaseAsync(ReceivedMessage message) => client.UnlockAsync(queue, message.Id, message.LockToken!);

    public async Task<int> ReleaseManyAsync(IReadOnlyList<ReceivedMessage> messages)
    {
        var released = await Task.WhenAll(messages.Select(ReleaseAsync));
        return released.Count(r => r);
    }

    /// <summary>Waits for the polls still open and unlocks what they bring, so nothing sits locked after a clean stop.</summary>
    public async Task StopAsync()
    {
        Task<BrokerDelivery?>[] open;
        lock (_polls)
        {
            open = [.. _polls];
            _polls.Clear();
        }
        foreach (var poll in open)
        {
            try
            {
                if (await poll is { } delivery)
                {
                    await client.UnlockAsync(queue, delivery.SequenceNumber, delivery.LockToken);
                }
            }
            catch (MessagingTransportException e)
            {
                LogReleaseFailed(e, queue);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ClaimedMessage ToClaimed(BrokerDelivery delivery)
    {
        var headers = delivery.Properties;
        var before = headers.TryGetValue(ServiceBusRestClient.AttemptsBeforeProperty, out var b) && int.TryParse(b, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var messageId = headers.GetValueOrDefault(ServiceBusRestClient.MessageIdProperty) ?? delivery.MessageId;
        var enqueuedAt = headers.TryGetValue(MessageHeaders.EnqueuedAt, out var e) && DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, out var at) ? at : delivery.EnqueuedAt;
        var message = new ReceivedMessage(delivery.SequenceNumber, queue, messageId, delivery.Body, headers, enqueuedAt, before + delivery.DeliveryCount, options.MaxAttempts)
        {
            LockToken = delivery.LockToken,
        };
        var now = time.GetUtcNow();
        if (delivery.LockedUntil is { } lockedUntil)
        {
            // Whole seconds on the wire: round down, at least one second.
            Volatile.Write(ref _lockTicks, Math.Max(TimeSpan.TicksPerSecond, (lockedUntil - now).Ticks));
        }
        var due = delivery.ScheduledAt ?? delivery.EnqueuedAt;
        var waited = now - due;
        return new ClaimedMessage(message, waited < TimeSpan.Zero ? TimeSpan.Zero : waited);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completing message {MessageId} of {Queue} failed; it will be redelivered")]
    private partial void LogCompleteFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlocking a message of {Queue} at shutdown failed; it reappears when its lock runs out")]
    private partial void LogReleaseFailed(Exception exception, string queue);
}

/// <summary>Creates <see cref="ServiceBusQueueReceiver"/>s.</summary>
public sealed class ServiceBusQueueReceiverFactory(ServiceBusRestClient client, DeadLetterStore deadLetters, TimeProvider time) : IQueueReceiverFactory
{
    public string System => "servicebus";

    public IQueueReceiver Create(string queue, QueueOptions options, string consumerId, ILogger logger) =>
        new ServiceBusQueueReceiver(client, deadLetters, queue, options, time, logger);
}
