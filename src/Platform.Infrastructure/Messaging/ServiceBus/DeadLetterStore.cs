using System.Text.Json;

namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// Our <c>dead_letters</c> table for a broker transport: messages we give up on land where the Postgres transport
/// puts them, so the admin views and replay work whatever the transport.
/// </summary>
public sealed class DeadLetterStore(NpgsqlDataSource dataSource)
{
    public async Task<long> InsertAsync(ReceivedMessage message, string reason)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason)
            VALUES (@Queue, @MessageId, @Body, @headers::jsonb, @EnqueuedAt, @Attempt, @reason)
            RETURNING id
            """, new
        {
            message.Queue, message.MessageId, message.Body, message.EnqueuedAt, message.Attempt,
            headers = JsonSerializer.Serialize(message.Headers), reason = reason.Length <= 1000 ? reason : reason[..1000],
        });
    }

    public async Task DeleteAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("DELETE FROM dead_letters WHERE id = @id", new { id });
    }
}
