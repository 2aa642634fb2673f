using System.Diagnostics;
using Microsoft.Extensions.Options;
using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Catalog.Caching;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Ingestion.Consolidation;

/// <summary>
/// Consolidates a run in bounded steps (PLATFORM §5.5, ADR 0014). Entering consolidation takes the run's row lock,
/// checks the partitions and starts <see cref="PipelineOptions.ConsolidationChains"/> chains of steps. Each step is
/// one transaction under a shared lock on the run: claim whole pages of the feed's <c>consolidation_pages</c>, up to
/// <see cref="PipelineOptions.ConsolidationBatchSize"/> stones (<c>DELETE … SKIP LOCKED</c>, so chains never share a
/// page; ADR 0037), map and price them, upsert the catalog with its price history and events, add to the run's counts
/// and enqueue the chain's next step. A claim commits with its effects, so a crash leaves no half-done step and no stuck claim.
/// A chain that finds nothing left takes the run's exclusive lock, which waits for the other chains' open steps,
/// and finishes the run: soft deletes of a full run, the watermark at the frozen <c>updated_to</c>, the tenant's
/// dataset version.
/// </summary>
public sealed partial class ConsolidationHandler(
    NpgsqlDataSource dataSource, IFeedAdapterFactory adapters, IMessagePublisher publisher, IOptions<PipelineOptions> options,
    ILogger<ConsolidationHandler> logger) : IMessageHandler
{
    public async Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (PipelineJson.TryDeserialize<ConsolidateMessage>(message.Body) is not { } step)
        {
            return MessageOutcome.DeadLetter("Not a consolidate message.");
        }
        using var scope = logger.BeginScope(LogScope.ForRun(step.OrgId, step.RunId));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, null, step.OrgId, step.RunId, RunLock.None, cancellationToken);
        var consolidating = run?.Phase switch
        {
            "consolidating" => true,
            "running" => await EnterConsolidationAsync(connection, step, cancellationToken),
            _ => false,
        };
        if (consolidating)
        {
            await StepAsync(connection, step, cancellationToken);
        }
        return MessageOutcome.Complete;
    }

    /// <summary>
    /// Moves a finished run into consolidation and starts the other chains. A run with failed partitions is refused
    /// unless forced; a run still ingesting waits (its last partition enqueues consolidation again).
    /// </summary>
    private async Task<bool> EnterConsolidationAsync(NpgsqlConnection connection, ConsolidateMessage step, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, transaction, step.OrgId, step.RunId, RunLock.Update, cancellationToken);
        if (run?.Phase != "running")
        {
            return run?.Phase == "consolidating";
        }
        var counts = await RunStore.CountPartitionsAsync(connection, transaction, run.Id, cancellationToken);
        if (!counts.AllCompleted && !(step.Force && counts.AllSettled))
        {
            if (counts.AllSettled)
            {
                LogSkippedFailedPartitions(run.Id, counts.Failed);
            }
            return false;
        }
        // The backlog was last analyzed when it was small or empty; fresh statistics keep the claims on the index.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_runs SET phase = 'consolidating', consolidation_started_at = now(), consolidation_forced = @Force WHERE id = @Id;
            ANALYZE consolidation_pages;
            """, new { run.Id, step.Force }, transaction, cancellationToken: cancellationToken));
        var chains = Enumerable.Range(1, options.Value.ConsolidationChains - 1)
            .Select(chain => new ConsolidateMessage(run.Id, run.OrgId, step.Force, Step: 0, chain))
            .Select(m => new OutgoingMessage(QueueNames.IngestConsolidate, m.MessageId, PipelineJson.Serialize(m)))
            .ToList();
        await publisher.PublishAsync(transaction, chains, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task StepAsync(NpgsqlConnection connection, ConsolidateMessage step, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, transaction, step.OrgId, step.RunId, RunLock.KeyShare, cancellationToken);
        if (run?.Phase != "consolidating")
        {
            return;
        }
        var feed = await FeedStore.FindAsync(connection, transaction, run.OrgId, run.FeedId, cancellationToken);
        if (feed is null)
        {
            await RunStore.FailAsync(connection, transaction, publisher, run.Id, "The feed no longer exists.", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return;
        }
        List<RawRow> claimed;
        using (var span = PipelineTelemetry.Start("consolidation claim", run.Id))
        {
            claimed = await ClaimAsync(connection, transaction, run, feed, cancellationToken);
            span?.SetTag("platform.items.count", claimed.Count);
            span?.SetTag("platform.consolidation.chain", step.Chain);
        }
        if (claimed.Count == 0)
        {
            // Finishing needs the exclusive lock; upgrading the shared one could deadlock with another chain doing the same.
            await transaction.RollbackAsync(cancellationToken);
            await FinishAsync(connection, step, cancellationToken);
            return;
        }

        var (done, failed) = await ProcessAsync(connection, transaction, run, feed, claimed, cancellationToken);
        // Last before the commit: concurrent chains queue on this row update, so it is held for as short as possible.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_runs SET consolidation_processed = consolidation_processed + @done, consolidation_failed = consolidation_failed + @failed
            WHERE id = @Id
            """, new { run.Id, done, failed }, transaction, cancellationToken: cancellationToken));
        var next = step.Next();
        await publisher.PublishAsync(transaction, [new OutgoingMessage(QueueNames.IngestConsolidate, next.MessageId, PipelineJson.Serialize(next))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        PipelineTelemetry.ItemsConsolidated.Add(done, PipelineTelemetry.Tag("outcome", "done"));
        PipelineTelemetry.ItemsConsolidated.Add(failed, PipelineTelemetry.Tag("outcome", "failed"));
        PipelineTelemetry.ConsolidationStepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Claims whole pages: as many as fit <see cref="PipelineOptions.ConsolidationBatchSize"/> stones at the feed's page
    /// size, at least one. A stone queued by two pages before it was consolidated is read once per claim; if two claims
    /// hold it, the second finds the catalog already current and writes nothing.
    /// </summary>
    private async Task<List<RawRow>> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, FeedDefinition feed, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RawRow>(new CommandDefinition(ConsolidationClaimSql.Text,
            new { run.FeedId, run.OrgId, pages = Math.Max(1, options.Value.ConsolidationBatchSize / Math.Max(1, feed.PageSize)) },
            transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Finishes the run once no chain has work left. The exclusive lock waits for the other chains' open steps; a
    /// step that rolled back returned its rows to the backlog, so this chain goes on instead of finishing.
    /// </summary>
    private async Task FinishAsync(NpgsqlConnection connection, ConsolidateMessage step, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, transaction, step.OrgId, step.RunId, RunLock.Update, cancellationToken);
        if (run?.Phase != "consolidating")
        {
            return;
        }
        var duration = 0.0;
        var remaining = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM consolidation_pages WHERE feed_id = @FeedId AND org_id = @OrgId)
            """, new { run.FeedId, run.OrgId }, transaction, cancellationToken: cancellationToken));
        if (remaining)
        {
            var next = step.Next();
            await publisher.PublishAsync(transaction, [new OutgoingMessage(QueueNames.IngestConsolidate, next.MessageId, PipelineJson.Serialize(next))], cancellationToken);
        }
        else
        {
            duration = await CompleteRunAsync(connection, transaction, run, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (!remaining)
        {
            var runType = PipelineTelemetry.Tag("run_type", run.RunType);
            PipelineTelemetry.RunsFinished.Add(1, runType, PipelineTelemetry.Tag("status", "completed"));
            PipelineTelemetry.RunDuration.Record(duration, runType);
            LogCompleted(run.Id);
        }
    }

    private async Task<(int Done, int Failed)> ProcessAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, FeedDefinition feed, List<RawRow> claimed, CancellationToken cancellationToken)
    {
        var adapter = adapters.Create(feed);
        var pricing = await PricingRuleStore.LoadEngineAsync(connection, transaction, run.OrgId, cancellationToken);
        var rows = new List<CatalogRow>(claimed.Count);
        var mappedIds = new List<long>(claimed.Count);
        var failedIds = new List<long>();
        var errors = new List<string>();
        foreach (var raw in claimed)
        {
            try
            {
                var draft = adapter.Map(new RawStone(raw.SupplierStoneId, raw.OfferId, raw.SourceUpdatedAt, raw.Payload));
                var price = pricing.Price(new StoneForPricing(draft.FeedPrice, draft.Carats, draft.Shape, draft.LabGrown, run.FeedId));
                rows.Add(new CatalogRow(draft, price));
                mappedIds.Add(raw.Id);
            }
            catch (FeedMappingException e)
            {
                failedIds.Add(raw.Id);
                errors.Add(e.Message.Length > 500 ? e.Message[..500] : e.Message);
            }
        }
        var chunk = options.Value.UpsertChunkSize;
        using (var span = PipelineTelemetry.Start("catalog upsert", run.Id))
        {
            span?.SetTag("platform.items.count", rows.Count);
            span?.SetTag("platform.items.failed", failedIds.Count);
            for (var start = 0; start < rows.Count; start += chunk)
            {
                await CatalogWriter.UpsertAsync(connection, transaction, run.OrgId, run.FeedId, run.Id, rows.GetRange(start, Math.Min(chunk, rows.Count - start)), cancellationToken);
            }
        }
        // Rows that cannot be mapped are parked with their error until the supplier changes the payload (the page that
        // writes the change queues them again); a row that maps now is no longer failed.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM consolidation_failures WHERE raw_item_id = ANY(@mapped) AND org_id = @OrgId;
            INSERT INTO consolidation_failures (raw_item_id, org_id, feed_id, failed_at, last_error)
            SELECT id, @OrgId, @FeedId, now(), error FROM UNNEST(@ids::bigint[], @errors::text[]) AS f(id, error)
            ON CONFLICT (raw_item_id) DO UPDATE SET failed_at = EXCLUDED.failed_at, last_error = EXCLUDED.last_error;
            """, new { run.OrgId, run.FeedId, mapped = mappedIds.ToArray(), ids = failedIds.ToArray(), errors = errors.ToArray() },
            transaction, cancellationToken: cancellationToken));
        return (rows.Count, failedIds.Count);
    }

    /// <summary>Completes the run; returns its duration in seconds (creation to completion) for the run-duration metric.</summary>
    private async Task<double> CompleteRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, CancellationToken cancellationToken)
    {
        var counts = await RunStore.CountPartitionsAsync(connection, transaction, run.Id, cancellationToken);
        if (run.IsFull && counts.AllCompleted)
        {
            // Only a full run that saw every partition may conclude that an unseen stone is gone. One pass over the feed's
            // raw rows finds the unseen ones (usually none), and each is probed in the catalog by key: a join lets
            // statistics taken before a first load walk the whole catalog probing raw rows instead (3 s at 200 000).
            await connection.ExecuteAsync(new CommandDefinition("""
                WITH unseen AS MATERIALIZED (
                    SELECT supplier_stone_id FROM raw_items WHERE org_id = @OrgId AND feed_id = @FeedId AND seen_run_id <> @Id
                ), gone AS (
                    UPDATE diamonds d SET status = 'deleted', deleted_at = now(), updated_at = now()
                    WHERE d.id = ANY(ARRAY(
                        SELECT k.id FROM unseen u CROSS JOIN LATERAL (
                            SELECT id FROM diamonds
                            WHERE org_id = @OrgId AND feed_id = @FeedId AND supplier_stone_id = u.supplier_stone_id AND status = 'active'
                            LIMIT 1) k))
                    RETURNING d.id
                )
                INSERT INTO diamond_events (org_id, diamond_id, run_id, type)
                SELECT @OrgId, id, @Id, 'removed' FROM gone
                ON CONFLICT (diamond_id, run_id, type) DO NOTHING
                """, new { run.OrgId, run.FeedId, run.Id }, transaction, cancellationToken: cancellationToken));
        }
        if (counts.AllCompleted)
        {
            // A forced run skipped its failed partitions: moving the watermark past them would hide their changes
            // from every later incremental run.
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO feed_watermarks (feed_id, org_id, last_updated_at, last_run_id) VALUES (@FeedId, @OrgId, @UpdatedTo, @Id)
                ON CONFLICT (feed_id) DO UPDATE SET last_updated_at = EXCLUDED.last_updated_at, last_run_id = EXCLUDED.last_run_id, updated_at = now()
                """, new { run.OrgId, run.FeedId, run.Id, run.UpdatedTo }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition($"""
            {DatasetVersions.BumpSql}

            UPDATE pipeline_runs SET phase = 'completed', completed_at = now(),
                   watermark_after = (SELECT last_updated_at FROM feed_watermarks WHERE feed_id = @FeedId) WHERE id = @Id;
            """, new { run.OrgId, run.FeedId, run.Id, run.UpdatedTo }, transaction, cancellationToken: cancellationToken));
        // The run's slot goes to the oldest queued run in this same commit (ADR 0024).
        await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, run.OrgId, cancellationToken);
        return await connection.ExecuteScalarAsync<double>(new CommandDefinition(
            "SELECT extract(epoch FROM completed_at - created_at)::float8 FROM pipeline_runs WHERE id = @Id",
            new { run.Id }, transaction, cancellationToken: cancellationToken));
    }

    private sealed class RawRow
    {
        public long Id { get; init; }
        public string SupplierStoneId { get; init; } = "";
        public string? OfferId { get; init; }
        public DateTimeOffset SourceUpdatedAt { get; init; }
        public string Payload { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} consolidated and completed")]
    private partial void LogCompleted(Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} not consolidated: {Failed} partitions failed (retry them, or consolidate with force)")]
    private partial void LogSkippedFailedPartitions(Guid runId, int failed);
}
