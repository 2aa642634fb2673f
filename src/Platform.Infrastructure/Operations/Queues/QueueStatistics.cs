using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Operations.Queues;

/// <summary>
/// One queue of the Postgres transport right now. <see cref="Depth"/>: every message on the queue; <see cref="Ready"/>:
/// visible and waiting for a consumer; <see cref="InFlight"/>: leased by a consumer; <see cref="Scheduled"/>: waiting for
/// a retry or a delayed delivery. <see cref="OldestReadyAgeSeconds"/>: how long the oldest ready message has been
/// waiting since it became visible (0 when none waits). <see cref="DeadLetters"/>: dead letters not yet replayed.
/// </summary>
public sealed record QueueStatus(string Queue, long Depth, long Ready, long InFlight, long Scheduled, double OldestReadyAgeSeconds, long DeadLetters);

/// <summary>Reads queue figures from <c>queue_messages</c> and <c>dead_letters</c> for readiness, the admin views and stats.</summary>
public sealed class QueueStatistics(NpgsqlDataSource dataSource)
{
    /// <summary>The pipeline's queues: always listed, even when empty.</summary>
    public static IReadOnlyList<string> KnownQueues { get; } = [QueueNames.IngestScan, QueueNames.IngestPage, QueueNames.IngestConsolidate];

    /// <summary>The known queues plus any other queue that holds messages or dead letters, ordered by name.</summary>
    public async Task<IReadOnlyList<QueueStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QueueStatus>(new CommandDefinition("""
            WITH names AS (
                SELECT unnest(@known::text[]) AS queue
                UNION SELECT DISTINCT queue FROM queue_messages
                UNION SELECT DISTINCT queue FROM dead_letters WHERE replayed_at IS NULL
            ), messages AS (
                SELECT queue,
                       count(*) AS depth,
                       count(*) FILTER (WHERE visible_at <= now()) AS ready,
                       count(*) FILTER (WHERE visible_at > now() AND claimed_by IS NOT NULL) AS in_flight,
                       count(*) FILTER (WHERE visible_at > now() AND claimed_by IS NULL) AS scheduled,
                       coalesce(extract(epoch FROM now() - min(visible_at) FILTER (WHERE visible_at <= now())), 0)::float8 AS oldest
                FROM queue_messages GROUP BY queue
            ), dead AS (
                SELECT queue, count(*) AS dead FROM dead_letters WHERE replayed_at IS NULL GROUP BY queue
            )
            SELECT n.queue AS "Queue", coalesce(m.depth, 0) AS "Depth", coalesce(m.ready, 0) AS "Ready",
                   coalesce(m.in_flight, 0) AS "InFlight", coalesce(m.scheduled, 0) AS "Scheduled",
                   coalesce(m.oldest, 0) AS "OldestReadyAgeSeconds", coalesce(d.dead, 0) AS "DeadLetters"
            FROM names n LEFT JOIN messages m ON m.queue = n.queue LEFT JOIN dead d ON d.queue = n.queue
            ORDER BY n.queue
            """, new { known = KnownQueues.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
