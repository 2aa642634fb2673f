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
        // Positional parameters and an explicit prepare: the hot path skips Npgsql's SQL rewriting and Postgres's
        // planning. A pooled physical connection keeps its prepared statements across opens.
        await using var command = new NpgsqlCommand(ClaimSql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = queue },
                new NpgsqlParameter<int> { TypedValue = batchSize },
                new NpgsqlParameter<string> { TypedValue = consumer },
                new NpgsqlParameter<double> { TypedValue = lease.TotalSeconds },
            },
        };
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedMessage>(batchSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = new ReceivedMessage(
                reader.GetInt64(0), queue, reader.GetString(1), reader.GetString(2), MessageHeaderJson.Parse(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetInt32(6));
            claimed.Add(new ClaimedMessage(message, TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(7)))));
        }
        return claimed;
    }

    private const string ClaimSql = """
        WITH next AS (
            SELECT id, visible_at AS due FROM queue_messages
            WHERE queue = $1 AND visible_at <= now()
            ORDER BY visible_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE queue_messages m
        SET attempts = m.attempts + 1, claimed_by = $3, visible_at = now() + make_interval(secs => $4)
        FROM next
        WHERE m.id = next.id
        RETURNING m.id, m.message_id, m.body, m.headers::text, m.enqueued_at, m.attempts, m.max_attempts,
                  extract(epoch FROM now() - next.due)::float8
        """;

    /// <summary>
    /// Deletes completed messages in one statement; returns the ids it deleted. A message missing from the result
    /// had passed to a newer claim (its attempt no longer matches), exactly as with <see cref="CompleteAsync"/>.
    /// </summary>
    public Task<IReadOnlyList<long>> CompleteManyAsync(IReadOnlyList<ReceivedMessage> messages) => SettleManyAsync("""
        DELETE FROM queue_messages m
        WHERE m.id = ANY($1) AND (m.id, m.attempts) IN (SELECT * FROM UNNEST($1::bigint[], $2::int[]))
        RETURNING m.id
        """, messages);

    /// <summary>Gives claimed messages back without counting the attempt (prefetched messages that never started).</summary>
    public Task<IReadOnlyList<long>> ReleaseManyAsync(IReadOnlyList<ReceivedMessage> messages) => SettleManyAsync("""
        UPDATE queue_messages m SET visible_at = now(), attempts = m.attempts - 1, claimed_by = NULL
        WHERE m.id = ANY($1) AND (m.id, m.attempts) IN (SELECT * FROM UNNEST($1::bigint[], $2::int[]))
        RETURNING m.id
        """, messages);

    /// <summary>Restarts the lease of a claim that waited locally; false when the claim is no longer ours.</summary>
    public Task<bool> RenewAsync(ReceivedMessage message, TimeSpan lease) => ExecuteAsync("""
        UPDATE queue_messages SET visible_at = now() + make_interval(secs => @seconds)
        WHERE id = @Id AND attempts = @Attempt
        """, new { message.Id, message.Attempt, seconds = lease.TotalSeconds });

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

    private async Task<IReadOnlyList<long>> SettleManyAsync(string sql, IReadOnlyList<ReceivedMessage> messages)
    {
        var ids = new long[messages.Count];
        var attempts = new int[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            ids[i] = messages[i].Id;
            attempts[i] = messages[i].Attempt;
        }
        // `id = ANY` drives a primary-key probe per id whatever the statistics say; the pair check is the fencing token.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new NpgsqlParameter<long[]> { TypedValue = ids }, new NpgsqlParameter<int[]> { TypedValue = attempts } },
        };
        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var settled = new List<long>(messages.Count);
        while (await reader.ReadAsync())
        {
            settled.Add(reader.GetInt64(0));
        }
        return settled;
    }

    private async Task<bool> ExecuteAsync(string sql, object parameters)
    {
        // Settling runs even while the host stops, so it takes no stopping token; the command timeout bounds it.
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(sql, parameters) == 1;
    }

    private static string Truncate(string reason) => reason.Length <= 1000 ? reason : reason[..1000];
}
