using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.Domain.Alerting;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>
/// The platform-wide conditions (PLATFORM §9): a queue near its capacity, a ready message waiting too long, pages
/// waiting while none is processed, and too many failing partitions. Read from the transport and run tables, so it
/// sees every process's work whichever process asks.
/// </summary>
public sealed class QueueHealthProbe(NpgsqlDataSource dataSource, WorkerHeartbeats heartbeats, IOptions<AlertingOptions> options)
{
    public async Task<IReadOnlyList<AlertSignal>> ProbeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var signals = new List<AlertSignal>();
        var queues = await connection.QueryAsync<QueueLoad>(new CommandDefinition("""
            SELECT queue AS "Queue", count(*)::int AS "Depth",
                   coalesce(extract(epoch FROM now() - min(visible_at) FILTER (WHERE visible_at <= now())), 0)::float8 AS "OldestReadySeconds"
            FROM queue_messages GROUP BY queue
            """, cancellationToken: cancellationToken));
        foreach (var queue in queues)
        {
            var capacity = settings.CapacityOf(queue.Queue);
            if (queue.Depth > capacity * settings.QueueDepthRatio)
            {
                signals.Add(new AlertSignal(AlertKinds.QueueDepth, queue.Queue, null,
                    $"Queue {queue.Queue} holds {queue.Depth} messages, above {settings.QueueDepthRatio:P0} of its capacity {capacity}.",
                    new Dictionary<string, object?> { ["queue"] = queue.Queue, ["depth"] = queue.Depth, ["capacity"] = capacity }));
            }
            if (queue.OldestReadySeconds > settings.OldestMessageSeconds)
            {
                signals.Add(new AlertSignal(AlertKinds.QueueOldestMessage, queue.Queue, null,
                    $"The oldest ready message of queue {queue.Queue} has waited {Seconds(queue.OldestReadySeconds)} s (threshold {settings.OldestMessageSeconds} s).",
                    new Dictionary<string, object?> { ["queue"] = queue.Queue, ["oldestReadySeconds"] = Math.Round(queue.OldestReadySeconds), ["depth"] = queue.Depth }));
            }
        }
        signals.AddRange(await NoProgressAsync(connection, settings, cancellationToken));
        signals.AddRange(await FailureRateAsync(connection, settings, cancellationToken));
        return signals;
    }

    /// <summary>
    /// Pages ready for at least the window, and no partition advanced by a page within it: nobody is consuming
    /// (workers stopped, crashed or stuck). <c>last_page_at</c> moves only when a page commits.
    /// </summary>
    private async Task<IEnumerable<AlertSignal>> NoProgressAsync(NpgsqlConnection connection, AlertingOptions settings, CancellationToken cancellationToken)
    {
        var (waiting, lastPageAt, progressed) = await connection.QuerySingleAsync<(int, DateTimeOffset?, bool)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM queue_messages WHERE queue = @queue AND visible_at <= now() - make_interval(secs => @seconds))::int,
                   last_page_at,
                   coalesce(last_page_at > now() - make_interval(secs => @seconds), false)
            FROM (SELECT max(last_page_at) AS last_page_at FROM run_partitions WHERE last_page_at IS NOT NULL) latest
            """, new { queue = QueueNames.IngestPage, seconds = settings.NoProgressSeconds }, cancellationToken: cancellationToken));
        if (waiting == 0 || progressed)
        {
            return [];
        }
        var last = lastPageAt is { } at ? $"the last page was processed at {at:u}" : "no page was processed yet";
        var workers = await heartbeats.CountLiveAsync("ingest");
        var seen = workers is { } live ? $" {live} ingest workers send heartbeats." : "";
        return [new AlertSignal(AlertKinds.NoProgress, QueueNames.IngestPage, null,
            $"{waiting} pages have waited over {settings.NoProgressSeconds} s and {last}: no ingest worker is making progress.{seen}",
            new Dictionary<string, object?> { ["queue"] = QueueNames.IngestPage, ["waitingPages"] = waiting, ["lastPageAt"] = lastPageAt, ["liveIngestWorkers"] = workers })];
    }

    /// <summary>
    /// The share of partitions active in the window whose latest page attempt failed (retrying or given up). A
    /// partition's failure clears when its next page succeeds, so this follows the failure rate of pages closely
    /// without a row per page on the hot path.
    /// </summary>
    private static async Task<IEnumerable<AlertSignal>> FailureRateAsync(NpgsqlConnection connection, AlertingOptions settings, CancellationToken cancellationToken)
    {
        var (active, failing) = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition("""
            SELECT count(*)::int, count(*) FILTER (WHERE p.last_error IS NOT NULL)::int
            FROM run_partitions p
            JOIN pipeline_runs r ON r.id = p.run_id
            WHERE (r.phase IN ('running', 'consolidating') OR r.completed_at > now() - make_interval(mins => @minutes))
              AND p.updated_at > now() - make_interval(mins => @minutes)
            """, new { minutes = settings.FailureRateWindowMinutes }, cancellationToken: cancellationToken));
        if (active < settings.FailureRateMinimumSample || (double)failing / active <= settings.FailureRateThreshold)
        {
            return [];
        }
        var rate = (double)failing / active;
        return [new AlertSignal(AlertKinds.PageFailureRate, "pages", null,
            $"{failing} of {active} partitions active in the last {settings.FailureRateWindowMinutes} min are failing ({rate:P0}, threshold {settings.FailureRateThreshold:P0}).",
            new Dictionary<string, object?> { ["failing"] = failing, ["active"] = active, ["rate"] = Math.Round(rate, 3) })];
    }

    private static string Seconds(double seconds) => Math.Round(seconds).ToString(CultureInfo.InvariantCulture);

    private sealed class QueueLoad
    {
        public string Queue { get; init; } = "";
        public int Depth { get; init; }
        public double OldestReadySeconds { get; init; }
    }
}
