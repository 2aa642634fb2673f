using System.Text.Json;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Operations.Queues;

/// <summary>A dead letter as the admin API lists it; the body is cut to <see cref="DeadLetters.BodyPreviewLength"/> characters.</summary>
public sealed class DeadLetterEntry
{
    public required long Id { get; init; }
    public required string Queue { get; init; }
    public required string MessageId { get; init; }
    public required string Body { get; init; }
    public required bool BodyTruncated { get; init; }
    public required JsonElement Headers { get; init; }
    public required DateTimeOffset EnqueuedAt { get; init; }
    public required int Attempts { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DeadAt { get; init; }
    public DateTimeOffset? ReplayedAt { get; init; }
}

/// <summary>What to replay: these ids, or every dead letter of the queue not replayed yet; at most <c>max</c> either way.</summary>
public sealed record ReplaySelection(IReadOnlyList<long>? Ids, bool All, int Max);

/// <summary>
/// Lists and replays <c>dead_letters</c>. A replay re-publishes each message through <see cref="IMessagePublisher"/> and
/// sets <c>replayed_at</c> and the audit entry in the same transaction, so a dead letter is replayed at most once: a row
/// already replayed, or locked by a concurrent replay, is not selected again.
/// </summary>
public sealed class DeadLetters(NpgsqlDataSource dataSource, IMessagePublisher publisher)
{
    public const int BodyPreviewLength = 4_000;

    /// <summary>Dead letters of a queue, newest first, keyset-paged by id; replayed ones only when asked for.</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> ListAsync(string queue, bool includeReplayed, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT id AS "Id", queue AS "Queue", message_id AS "MessageId", left(body, @preview) AS "Body", length(body) > @preview AS "BodyTruncated",
                   headers::text AS "Headers", enqueued_at AS "EnqueuedAt", attempts AS "Attempts", reason AS "Reason",
                   dead_at AS "DeadAt", replayed_at AS "ReplayedAt"
            FROM dead_letters
            WHERE queue = @queue AND (@includeReplayed OR replayed_at IS NULL) AND (@beforeId::bigint IS NULL OR id < @beforeId)
            ORDER BY id DESC
            LIMIT @limit
            """, new { queue, includeReplayed, beforeId, limit, preview = BodyPreviewLength }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    /// <summary>Replays the selected dead letters of <paramref name="queue"/>; returns the ids replayed (oldest first).</summary>
    public async Task<IReadOnlyList<long>> ReplayAsync(
        string queue, ReplaySelection selection, string actor, string? traceId, string? ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var picked = (await connection.QueryAsync<Picked>(new CommandDefinition("""
            UPDATE dead_letters d SET replayed_at = now()
            FROM (
                SELECT id FROM dead_letters
                WHERE queue = @queue AND replayed_at IS NULL AND (@all OR id = ANY(@ids))
                ORDER BY id
                LIMIT @max
                FOR UPDATE SKIP LOCKED
            ) s
            WHERE d.id = s.id
            RETURNING d.id AS "Id", d.message_id AS "MessageId", d.body AS "Body"
            """, new { queue, all = selection.All, ids = (selection.Ids ?? []).ToArray(), max = selection.Max },
            transaction, cancellationToken: cancellationToken))).OrderBy(p => p.Id).ToList();
        if (picked.Count == 0)
        {
            return [];
        }
        // A fresh message id: the original may be taken again on the queue (de-duplication would drop the replay silently).
        var messages = picked.Select(p => new OutgoingMessage(queue, ReplayMessageId(p), p.Body)).ToList();
        await publisher.PublishAsync(transaction, messages, cancellationToken);
        var ids = picked.Select(p => p.Id).ToList();
        await AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(null, actor, "dead_letters.replayed", "queue", queue, After: new { count = ids.Count, ids }, TraceId: traceId, Ip: ip),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private static string ReplayMessageId(Picked picked)
    {
        var id = $"{picked.MessageId}:replay:{picked.Id}";
        return id.Length <= OutgoingMessage.MaxMessageIdLength ? id : $"dead-letter:{picked.Id}:replay";
    }

    private sealed record Picked(long Id, string MessageId, string Body);

    private sealed class Row
    {
        public long Id { get; init; }
        public string Queue { get; init; } = "";
        public string MessageId { get; init; } = "";
        public string Body { get; init; } = "";
        public bool BodyTruncated { get; init; }
        public string Headers { get; init; } = "{}";
        public DateTimeOffset EnqueuedAt { get; init; }
        public int Attempts { get; init; }
        public string Reason { get; init; } = "";
        public DateTimeOffset DeadAt { get; init; }
        public DateTimeOffset? ReplayedAt { get; init; }

        public DeadLetterEntry ToEntry() => new()
        {
            Id = Id, Queue = Queue, MessageId = MessageId, Body = Body, BodyTruncated = BodyTruncated,
            Headers = JsonSerializer.Deserialize<JsonElement>(Headers), EnqueuedAt = EnqueuedAt, Attempts = Attempts,
            Reason = Reason, DeadAt = DeadAt, ReplayedAt = ReplayedAt,
        };
    }
}
