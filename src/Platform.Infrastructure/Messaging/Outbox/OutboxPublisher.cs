using System.Diagnostics;
using System.Text.Json;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.Infrastructure.Messaging.Outbox;

/// <summary>
/// The publisher of broker transports: both overloads write <c>outbox_messages</c> rows (the transactional one in the
/// caller's transaction), and the dispatcher role relays them. Even a publish outside a transaction goes through the
/// outbox, so a broker outage never fails the caller and there is one path to reason about. A NOTIFY on commit
/// wakes the relay at once.
/// </summary>
public sealed class OutboxPublisher(NpgsqlDataSource dataSource, TimeProvider time) : IMessagePublisher
{
    /// <summary>The wake-up key on <see cref="PostgresQueueStore.NotifyChannel"/> (queue names never start with '$').</summary>
    public const string WakeupKey = "$outbox";

    public async Task PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertAsync(connection, null, messages, cancellationToken);
    }

    public Task PublishAsync(NpgsqlTransaction transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
        InsertAsync(transaction.Connection!, transaction, messages, cancellationToken);

    private async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        PostgresPublisher.Validate(messages);
        using var activity = MessagingTelemetry.Source.StartActivity($"publish {messages[0].Queue}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.destination.name", messages[0].Queue);
        activity?.SetTag("messaging.batch.message_count", messages.Count);
        var headers = JsonSerializer.Serialize(PostgresPublisher.TraceHeaders(Activity.Current, time.GetUtcNow()));
        await connection.ExecuteAsync(new CommandDefinition($"""
            WITH inserted AS (
                INSERT INTO outbox_messages (queue, message_id, body, headers, visible_at)
                SELECT q, m, b, @headers::jsonb, v
                FROM UNNEST(@queues::text[], @ids::text[], @bodies::text[], @visible::timestamptz[]) AS t(q, m, b, v)
                RETURNING 1
            )
            SELECT pg_notify('{PostgresQueueStore.NotifyChannel}', '{WakeupKey}') FROM (SELECT 1 FROM inserted LIMIT 1) x
            """, new
        {
            headers,
            queues = messages.Select(m => m.Queue).ToArray(),
            ids = messages.Select(m => m.MessageId).ToArray(),
            bodies = messages.Select(m => m.Body).ToArray(),
            visible = messages.Select(m => m.VisibleAt?.UtcDateTime).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        foreach (var queue in messages.GroupBy(m => m.Queue))
        {
            MessagingTelemetry.Published.Add(queue.Count(), MessagingTelemetry.Queue(queue.Key));
        }
    }
}
