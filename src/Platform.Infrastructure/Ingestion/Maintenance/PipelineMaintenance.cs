using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Ingestion.Scheduling;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Maintenance;

/// <summary>
/// The maintenance role's pipeline duties (PLATFORM §5.4): re-enqueues partitions without progress for
/// <see cref="PipelineOptions.StalledPartitionMinutes"/>, restarts consolidation of runs whose chain of steps was
/// lost, and fails runs whose scan message is gone. Messages are never lost by design (outbox); this is the
/// safety net for the outside world (dead-lettered messages, hand edits, a bug). One leader at a time.
/// </summary>
public sealed partial class PipelineMaintenance(
    NpgsqlDataSource dataSource, IMessagePublisher publisher, TimeProvider time, IOptions<PipelineOptions> pipeline,
    IOptions<MaintenanceOptions> options, IErrorLog errors, ILogger<PipelineMaintenance> logger, IOptions<MessagingOptions>? messaging = null) : BackgroundService
{
    // Whether a run's message is still on its way depends on the transport (null: Postgres, as tests build it by hand).
    private readonly string _consolidationQueued = QueuedMessageSql.Exists(messaging?.Value.UsesServiceBus == true, "LIKE 'consolidate:' || r.id || '%'");
    private readonly string _scanQueued = QueuedMessageSql.Exists(messaging?.Value.UsesServiceBus == true, "= 'scan:' || r.id");

    /// <summary>"Maintain" in ASCII: the advisory lock of the maintenance leader.</summary>
    public const long LeaderLockKey = 0x4D61696E7461696E;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = new LeaderLease(dataSource, LeaderLockKey);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        do
        {
            try
            {
                if (await lease.TryAcquireOrConfirmAsync(stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
                errors.Record(ErrorCategories.Maintenance, ErrorLogCodes.MaintenanceFailed, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<MaintenanceReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var report = new MaintenanceReport(
            await RescueStalledPartitionsAsync(cancellationToken),
            await ResumeLostConsolidationsAsync(cancellationToken),
            await FailLostScansAsync(cancellationToken),
            await StartQueuedRunsAsync(cancellationToken));
        if (report.Any)
        {
            LogReport(report.PartitionsRescued, report.ConsolidationsResumed, report.ScansFailed, report.QueuedRunsStarted);
        }
        return report;
    }

    private async Task<int> RescueStalledPartitionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stalled = (await connection.QueryAsync<StalledPartition>(new CommandDefinition("""
            WITH candidates AS (
                SELECT p.run_id, p.partition_id FROM run_partitions p JOIN pipeline_runs r ON r.id = p.run_id
                WHERE r.phase = 'running' AND NOT p.completed AND NOT p.failed
                  AND p.updated_at < now() - make_interval(mins => @minutes)
                  AND (p.next_retry_at IS NULL OR p.next_retry_at < now())
                ORDER BY p.updated_at LIMIT @limit
                FOR UPDATE OF p SKIP LOCKED
            )
            UPDATE run_partitions p SET updated_at = now()
            FROM candidates c, pipeline_runs r
            WHERE p.run_id = c.run_id AND p.partition_id = c.partition_id AND r.id = p.run_id
            RETURNING p.run_id AS "RunId", p.partition_id AS "PartitionId", p.org_id AS "OrgId", r.feed_id AS "FeedId",
                      p.min_price AS "MinPrice", p.max_price AS "MaxPrice", p.next_offset AS "NextOffset",
                      r.updated_from AS "UpdatedFrom", r.updated_to AS "UpdatedTo", coalesce(r.page_limit, 30) AS "PageSize"
            """, new { minutes = pipeline.Value.StalledPartitionMinutes, limit = options.Value.BatchSize }, transaction, cancellationToken: cancellationToken))).ToList();
        var stamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var pages = stalled
            .Select(p => new PageMessage(p.RunId, p.OrgId, p.FeedId, p.PartitionId, p.MinPrice, p.MaxPrice, p.UpdatedFrom, p.UpdatedTo, p.NextOffset, p.PageSize))
            .Select(page => new OutgoingMessage(QueueNames.IngestPage, $"{page.MessageId}:rescue:{stamp}", PipelineJson.Serialize(page)))
            .ToList();
        await publisher.PublishAsync(transaction, pages, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return pages.Count;
    }

    /// <summary>Runs that should be consolidating (or are ready to) but have no consolidation message anywhere in the queue.</summary>
    private async Task<int> ResumeLostConsolidationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var runs = (await connection.QueryAsync<(Guid RunId, Guid OrgId, bool Forced)>(new CommandDefinition($"""
            SELECT r.id, r.org_id, r.consolidation_forced FROM pipeline_run_progress r
            WHERE (r.phase = 'consolidating' OR (r.phase = 'running' AND r.partitions_total > 0 AND r.partitions_completed = r.partitions_total))
              AND coalesce(r.consolidation_started_at, r.started_at) < now() - make_interval(mins => @minutes)
              AND NOT {_consolidationQueued}
            LIMIT @limit
            """, new { minutes = pipeline.Value.StalledPartitionMinutes, queue = QueueNames.IngestConsolidate, limit = options.Value.BatchSize },
            transaction, cancellationToken: cancellationToken))).ToList();
        var stamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var messages = runs.Select(r => new ConsolidateMessage(r.RunId, r.OrgId, r.Forced, Step: 0))
            .Select(m => new OutgoingMessage(QueueNames.IngestConsolidate, $"consolidate:{m.RunId}:rescue:{stamp}", PipelineJson.Serialize(m)))
            .ToList();
        await publisher.PublishAsync(transaction, messages, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return messages.Count;
    }

    private async Task<int> FailLostScansAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var orgs = (await connection.QueryAsync<Guid>(new CommandDefinition($"""
            UPDATE pipeline_runs r SET phase = 'failed', error = 'The heatmap scan was lost (its message is gone); start a new run.', completed_at = now()
            WHERE r.phase = 'scanning' AND r.created_at < now() - make_interval(mins => @minutes)
              AND NOT {_scanQueued}
            RETURNING r.org_id
            """, new { minutes = pipeline.Value.StalledPartitionMinutes, queue = QueueNames.IngestScan }, transaction, cancellationToken: cancellationToken))).ToList();
        // The failed runs' slots go to queued runs in the same commit, as when a run ends any other way.
        foreach (var orgId in orgs.Distinct().Order())
        {
            await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, orgId, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return orgs.Count;
    }

    /// <summary>
    /// The safety net for run capacity: organizations with queued runs and a free running slot (after an operator raised
    /// the limit, or a run ended by a hand edit) get them started. One transaction per organization keeps locks short.
    /// </summary>
    private async Task<int> StartQueuedRunsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var orgs = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT DISTINCT org_id FROM pipeline_runs WHERE phase = 'queued' ORDER BY org_id LIMIT @limit",
            new { limit = options.Value.BatchSize }, cancellationToken: cancellationToken))).ToList();
        var started = 0;
        foreach (var orgId in orgs)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var before = await RunCapacity.LockAsync(connection, transaction, orgId, cancellationToken);
            var after = await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, orgId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            started += (after?.Running ?? 0) - (before?.Running ?? 0);
        }
        return started;
    }

    private sealed class StalledPartition
    {
        public Guid RunId { get; init; }
        public string PartitionId { get; init; } = "";
        public Guid OrgId { get; init; }
        public Guid FeedId { get; init; }
        public decimal MinPrice { get; init; }
        public decimal MaxPrice { get; init; }
        public int NextOffset { get; init; }
        public DateTimeOffset UpdatedFrom { get; init; }
        public DateTimeOffset UpdatedTo { get; init; }
        public int PageSize { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance: rescued {Partitions} stalled partitions, resumed {Consolidations} consolidations, failed {Scans} lost scans, started {Queued} queued runs")]
    private partial void LogReport(int partitions, int consolidations, int scans, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance pass failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}

public sealed record MaintenanceReport(int PartitionsRescued, int ConsolidationsResumed, int ScansFailed, int QueuedRunsStarted = 0)
{
    public bool Any => PartitionsRescued + ConsolidationsResumed + ScansFailed + QueuedRunsStarted > 0;
}

/// <summary>Section <c>Maintenance</c>.</summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>Rows handled per pass and kind, so one pass stays short.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
