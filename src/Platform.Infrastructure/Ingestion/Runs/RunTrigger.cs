using System.Diagnostics;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Ingestion.Runs;

public enum RunType { Full, Incremental }

public sealed record RunTriggerResult(RunTriggerOutcome Outcome, Guid? RunId = null, string? RunType = null, RunCapacityUsage? Capacity = null);

/// <summary><see cref="Queued"/>: accepted, waiting for a running slot; <see cref="CapacityExceeded"/>: running and queued slots are all taken.</summary>
public enum RunTriggerOutcome { Started, Queued, FeedNotFound, FeedDisabled, AlreadyActive, CapacityExceeded }

/// <summary>
/// Starts a run (PLATFORM §5.1): freezes <c>updated_to = now</c>, picks full or incremental (incremental when a
/// watermark exists, from <c>watermark − overlap</c>), and in one transaction inserts the run and enqueues its
/// scan. The heavy part (heatmap, partitions, first pages) happens in the scan handler, so a trigger is quick and
/// a crash in between loses nothing: either the run and its scan message exist, or neither does.
/// Over the organization's running capacity the run is inserted as <c>queued</c> without a scan message (it is started
/// when a slot frees, <see cref="RunCapacity"/>); over its queued capacity nothing is inserted (ADR 0024).
/// </summary>
public sealed class RunTrigger(NpgsqlDataSource dataSource, IMessagePublisher publisher, TimeProvider time, IOptions<PipelineOptions> options)
{
    public static readonly DateTimeOffset FullRunStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A run asked for by a tenant's request: on a <see cref="TenantConnection"/>, so row-level security backs the filters (ADR 0029).</summary>
    public async Task<RunTriggerResult> StartAsync(Guid orgId, Guid feedId, RunType? requested, string trigger, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        return await StartAsync(tenant.Connection, orgId, feedId, requested, trigger, cancellationToken);
    }

    /// <summary>A run the scheduler starts: on the login like the rest of the worker side, which works across organizations.</summary>
    public async Task<RunTriggerResult> StartScheduledAsync(Guid orgId, Guid feedId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await StartAsync(connection, orgId, feedId, requested: null, "schedule", cancellationToken);
    }

    private async Task<RunTriggerResult> StartAsync(
        NpgsqlConnection connection, Guid orgId, Guid feedId, RunType? requested, string trigger, CancellationToken cancellationToken)
    {
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

        // Checked before the organization lock: an active run of this feed cannot appear meanwhile (the feed row is
        // locked), and the insert below then never waits on a run that another transaction is ending.
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM pipeline_runs WHERE feed_id = @feedId AND (phase = 'queued' OR phase IN {RunCapacity.RunningPhases}))",
            new { feedId }, transaction, cancellationToken: cancellationToken)))
        {
            return new RunTriggerResult(RunTriggerOutcome.AlreadyActive);
        }
        // Runs that were already waiting go first; then this run starts, waits, or is refused.
        var capacity = await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, orgId, cancellationToken)
            ?? throw new InvalidOperationException($"Organization {orgId} of feed {feedId} does not exist.");
        if (!capacity.CanStart && !capacity.CanQueue)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RunTriggerResult(RunTriggerOutcome.CapacityExceeded, Capacity: capacity);
        }
        var phase = capacity.CanStart ? "scanning" : "queued";

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
            VALUES (@runId, @orgId, @feedId, @runType, @phase, @trigger, @updatedFrom, @updatedTo, @watermark, @traceId)
            ON CONFLICT (feed_id) WHERE phase IN ('queued', 'scanning', 'running', 'consolidating') DO NOTHING
            """, new { runId, orgId, feedId, runType, phase, trigger, updatedFrom, updatedTo, watermark, traceId = Activity.Current?.TraceId.ToString() },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            await transaction.CommitAsync(cancellationToken); // keeps the promotions above
            return new RunTriggerResult(RunTriggerOutcome.AlreadyActive);
        }
        if (capacity.CanStart)
        {
            await publisher.PublishAsync(transaction, [RunCapacity.ScanOf(runId, orgId)], cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return capacity.CanStart
            ? new RunTriggerResult(RunTriggerOutcome.Started, runId, runType, capacity with { Running = capacity.Running + 1 })
            : new RunTriggerResult(RunTriggerOutcome.Queued, runId, runType, capacity with { Queued = capacity.Queued + 1 });
    }

    private sealed class FeedState
    {
        public bool Enabled { get; init; }
        public DateTimeOffset? Watermark { get; init; }
    }
}
