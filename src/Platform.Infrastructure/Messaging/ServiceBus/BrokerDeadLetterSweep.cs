namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// Moves what the broker dead-lettered by itself (max delivery count reached: every consumer died holding the
/// message) from each queue's <c>$deadletterqueue</c> into our <c>dead_letters</c> table, so admin views and replay
/// see every message we gave up on, whichever side gave up. Insert first, then complete: a crash in between leaves a
/// duplicate dead letter, never a lost one.
/// </summary>
public sealed class BrokerDeadLetterSweep(ServiceBusRestClient client, DeadLetterStore deadLetters)
{
    /// <summary>Drains the dead-letter subqueues of <paramref name="queues"/>; returns how many messages moved.</summary>
    public async Task<int> SweepAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var queue in queues)
        {
            while (!cancellationToken.IsCancellationRequested
                   && await client.ReceiveAsync(ServiceBusRestClient.DeadLetterQueue(queue), cancellationToken, timeoutSeconds: 1) is { } delivery)
            {
                var message = new ReceivedMessage(
                    delivery.SequenceNumber, queue, delivery.Properties.GetValueOrDefault(ServiceBusRestClient.MessageIdProperty) ?? delivery.MessageId,
                    delivery.Body, delivery.Properties, delivery.EnqueuedAt, delivery.DeliveryCount, delivery.DeliveryCount);
                await deadLetters.InsertAsync(message, $"Dead-lettered by Service Bus: {delivery.DeadLetterReason ?? "unknown reason"}");
                await client.CompleteAsync(ServiceBusRestClient.DeadLetterQueue(queue), delivery.SequenceNumber, delivery.LockToken);
                moved++;
            }
        }
        return moved;
    }
}
