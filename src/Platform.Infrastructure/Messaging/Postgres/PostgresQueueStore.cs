using System.Text.Json;

namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// The SQL of the Postgres transport. Every operation is one statement; settling checks the claim's attempt
/// number so a consumer whose lease ran out cannot settle a later claim of the same message.
/// </summary>
public sealed class PostgresQueueStore(NpgsqlDataSource dataSource)
{
    /// <summary>NOTIFY channel; the payload is the queue name. Sent inside the enqueueing transaction, so it fires on commit.</summary>
    public const string NotifyChannel = "platform_queue";

    public static async Task<int> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutgoingMessage> messages,
        IReadOnlyList<string> headers, IReadOnlyList<int> maxAttempts, CancellationToken cancellationToken)
    {
        var queues = new string[messages.Count];
        var ids = new string[messages.Count];
        var bodies = new string[messages.Count];
        var visible = new DateTime?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            queues[i] = messages[i].Queue;
            ids[i] = messages[i].MessageId;
            bodies[i] = messages[i].Body;
            visible[i] = messages[i].VisibleAt?.UtcDateTime;
        }
        // The notify CTE is read by the final SELECT: an unreferenced SELECT CTE would never run.
        var (accepted, _) = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition($"""
            WITH inserted AS (
                INSERT INTO queue_messages (queue, message_id, body, headers, visible_at, max_attempts)
                SELECT q, m, b, h::jsonb, COALESCE(v, now()), a
                FROM UNNEST(@queues::text[], @ids::text[], @bodies::text[], @headers::text[], @visible::timestamptz[], @maxAttempts::int[])
                     AS t(q, m, b, h, v, a)
                ON CONFLICT (queue, message_id) DO NOTHING
                RETURNING queue
            ), notified AS (
                SELECT pg_notify('{NotifyChannel}', queue) FROM (SELECT DISTINCT queue FROM inserted) d
            )
            SELECT (SELECT count(*) FROM inserted)::int AS accepted, (SELECT count(*) FROM notified)::int AS notified
            """,
            new { queues, ids, bodies, headers = headers.ToArray(), visible, maxAttempts = maxAttempts.ToArray() },
            transaction, cancellationToken: cancellationToken));
        return accepted;
    }

    /// <summary>Claims up to <paramref name="batchSize"/> visible messages and leases them for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(
        string queue, int batchSize, TimeSpan lease, string consumer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimRow>(new CommandDefinition("""
            WITH next AS (
                SELECT id, visible_at AS due FROM queue_messages
                WHERE queue = @queue AND visible_at <= now()
                ORDER BY visible_at, id
                LIMIT @batchSize
                FOR UPDATE SKIP LOCKED
            )
            UPDATE queue_messages m
            SET attempts = m.attempts + 1, claimed_by = @consumer, visible_at = now() + make_interval(secs => @leaseSeconds)
            FROM next
            WHERE m.id = next.id
            RETURNING m.id AS "Id", m.queue AS "Queue", m.message_id AS "MessageId", m.body AS "Body", m.headers::text AS "Headers",
                      m.enqueued_at AS "EnqueuedAt", m.attempts AS "Attempts", m.max_attempts AS "MaxAttempts",
                      extract(epoch FROM now() - next.due)::float8 AS "WaitedSeconds"
            """, new { queue, batchSize, consumer, leaseSeconds = lease.TotalSeconds }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClaimedMessage(
            new ReceivedMessage(r.Id, r.Queue, r.MessageId, r.Body,
                JsonSerializer.Deserialize<Dictionary<string, string>>(r.Headers) ?? [], r.EnqueuedAt, r.Attempts, r.MaxAttempts),
            TimeSpan.FromSeconds(Math.Max(0, r.WaitedSeconds)))).ToList();
    }

    public Task<bool> CompleteAsync(ReceivedMessage message) => ExecuteAsync(
        "DELETE FROM queue_messages WHERE id = @Id AND attempts = @Attempt", new { message.Id, message.Attempt });

    public Task<bool> RetryLaterAsync(ReceivedMessage message, TimeSpan delay, string reason) => ExecuteAsync("""
        UPDATE queue_messages SET visible_at = now() + make_interval(secs => @seconds), last_error = @reason, claimed_by = NULL
        WHERE id = @Id AND attempts = @Attempt
        """, new { message.Id, message.Attempt, seconds = delay.TotalSeconds, reason = Truncate(reason) });

    /// <summary>Gives a claimed message back without counting the attempt (graceful shutdown).</summary>
    public Task<bool> ReleaseAsync(ReceivedMessage message) => ExecuteAsync("""
        UPDATE queue_messages SET visible_at = now(), attempts = attempts - 1, claimed_by = NULL
        WHERE id = @Id AND attempts = @Attempt
        """, new { message.Id, message.Attempt });

    public Task<bool> DeadLetterAsync(ReceivedMessage message, string reason) => ExecuteAsync("""
        WITH moved AS (
            DELETE FROM queue_messages WHERE id = @Id AND attempts = @Attempt
            RETURNING queue, message_id, body, headers, enqueued_at, attempts
        )
        INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason)
        SELECT queue, message_id, body, headers, enqueued_at, attempts, @reason FROM moved
        """, new { message.Id, message.Attempt, reason = Truncate(reason) });

    /// <summary>Puts dead letters back on their queues with fresh attempts; returns how many were re-queued.</summary>
    public async Task<int> ReplayDeadLettersAsync(IReadOnlyList<long> deadLetterIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (replayed, _) = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition($"""
            WITH replayed AS (
                UPDATE dead_letters SET replayed_at = now()
                WHERE id = ANY(@deadLetterIds) AND replayed_at IS NULL
                RETURNING queue, message_id, body, headers
            ), inserted AS (
                INSERT INTO queue_messages (queue, message_id, body, headers, max_attempts)
                SELECT r.queue, r.message_id, r.body, r.headers, 5 FROM replayed r
                ON CONFLICT (queue, message_id) DO NOTHING
                RETURNING queue
            ), notified AS (
                SELECT pg_notify('{NotifyChannel}', queue) FROM (SELECT DISTINCT queue FROM inserted) d
            )
            SELECT (SELECT count(*) FROM inserted)::int AS accepted, (SELECT count(*) FROM notified)::int AS notified
            """, new { deadLetterIds = deadLetterIds.ToArray() }, cancellationToken: cancellationToken));
        return replayed;
    }

    private async Task<bool> ExecuteAsync(string sql, object parameters)
    {
        // Settling runs even while the host stops, so it takes no stopping token; the command timeout bounds it.
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(sql, parameters) == 1;
    }

    private static string Truncate(string reason) => reason.Length <= 1000 ? reason : reason[..1000];

    private sealed class ClaimRow
    {
        public long Id { get; init; }
        public string Queue { get; init; } = "";
        public string MessageId { get; init; } = "";
        public string Body { get; init; } = "";
        public string Headers { get; init; } = "{}";
        public DateTimeOffset EnqueuedAt { get; init; }
        public int Attempts { get; init; }
        public int MaxAttempts { get; init; }
        public double WaitedSeconds { get; init; }
    }
}

/// <summary>A claimed message and how long it waited after it became visible.</summary>
public sealed record ClaimedMessage(ReceivedMessage Message, TimeSpan PickupDelay);
