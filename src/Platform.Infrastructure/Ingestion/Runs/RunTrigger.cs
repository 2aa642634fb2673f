using System.Diagnostics;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Runs;

public enum RunType { Full, Incremental }

public sealed record RunTriggerResult(RunTriggerOutcome Outcome, Guid? RunId = null, string? RunType = null);

public enum RunTriggerOutcome { Started, FeedNotFound, FeedDisabled, AlreadyActive }

/// <summary>
/// Starts a run (PLATFORM §5.1): freezes <c>updated_to = now</c>, picks full or incremental (incremental when a
/// watermark exists, from <c>watermark − overlap</c>), and in one transaction inserts the run and enqueues its
/// scan. The heavy part (heatmap, partitions, first pages) happens in the scan handler, so a trigger is quick and
/// a crash in between loses nothing: either the run and its scan message exist, or neither does.
/// </summary>
public sealed class RunTrigger(NpgsqlDataSource dataSource, IMessagePublisher publisher, TimeProvider time, IOptions<PipelineOptions> options)
{
    public static readonly DateTimeOffset FullRunStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<RunTriggerResult> StartAsync(Guid orgId, Guid feedId, RunType? requested, string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var feed = await connection.QuerySingleOrDefaultAsync<FeedState>(new CommandDefinition("""
            SELECT f.enabled AS "Enabled", w.last_updated_at AS "Watermark"
            FROM feeds f LEFT JOIN feed_watermarks w ON w.feed_id = f.id
            WHERE f.org_id = @orgId AND f.id = @feedId
            FOR UPDATE OF f
            """, new { orgId, feedId }, transaction, cancellationToken: cancellationToken));
        if (feed is null)
        {
            return new RunTriggerResult(RunTriggerOutcome.FeedNotFound);
        }
        if (!feed.Enabled)
        {
            return new RunTriggerResult(RunTriggerOutcome.FeedDisabled);
        }

        var watermark = feed.Watermark;
        var type = requested ?? (watermark is null ? RunType.Full : RunType.Incremental);
        var updatedTo = time.GetUtcNow();
        var updatedFrom = type == RunType.Full || watermark is null
            ? FullRunStart
            : watermark.Value - TimeSpan.FromMinutes(options.Value.IncrementalOverlapMinutes);
        var runId = Guid.CreateVersion7();
        var runType = type == RunType.Full ? "full" : "incremental";

        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, watermark_before, trace_id)
            VALUES (@runId, @orgId, @feedId, @runType, 'scanning', @trigger, @updatedFrom, @updatedTo, @watermark, @traceId)
            ON CONFLICT (feed_id) WHERE phase IN ('queued', 'scanning', 'running', 'consolidating') DO NOTHING
            """, new { runId, orgId, feedId, runType, trigger, updatedFrom, updatedTo, watermark, traceId = Activity.Current?.TraceId.ToString() },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return new RunTriggerResult(RunTriggerOutcome.AlreadyActive);
        }
        var scan = new ScanMessage(runId, orgId);
        await publisher.PublishAsync(transaction, [new OutgoingMessage(QueueNames.IngestScan, scan.MessageId, PipelineJson.Serialize(scan))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RunTriggerResult(RunTriggerOutcome.Started, runId, runType);
    }

    private sealed class FeedState
    {
        public bool Enabled { get; init; }
        public DateTimeOffset? Watermark { get; init; }
    }
}
