using Microsoft.Extensions.Options;
using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Consolidation;

/// <summary>
/// Consolidates a run in bounded steps (PLATFORM §5.5). Each step is one transaction under the run's row lock:
/// claim up to <see cref="PipelineOptions.ConsolidationBatchSize"/> pending raw rows (<c>SKIP LOCKED</c>), map and
/// price them, upsert the catalog with its price history and events, mark the rows done or failed, checkpoint
/// the run's counts and enqueue the next step. Claims commit together with their effects, so a crash leaves no
/// half-done step and no stuck claim. The last step soft-deletes what a clean full run did not see, advances the
/// watermark to the run's frozen <c>updated_to</c> and bumps the tenant's dataset version.
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, transaction, step.OrgId, step.RunId, forUpdate: true, cancellationToken);
        if (run is null || !await EnterConsolidationAsync(connection, transaction, run, step, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            return MessageOutcome.Complete;
        }
        var feed = await FeedStore.FindAsync(connection, transaction, run.OrgId, run.FeedId, cancellationToken);
        if (feed is null)
        {
            await RunStore.FailAsync(connection, transaction, run.Id, "The feed no longer exists.", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return MessageOutcome.Complete;
        }

        var settings = options.Value;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE raw_items SET consolidation_status = 'pending', claimed_at = NULL, claimed_by = NULL
            WHERE feed_id = @FeedId AND org_id = @OrgId AND consolidation_status = 'processing' AND claimed_at < now() - make_interval(mins => @ttl)
            """, new { run.FeedId, run.OrgId, ttl = settings.ClaimTtlMinutes }, transaction, cancellationToken: cancellationToken));
        var claimed = (await connection.QueryAsync<RawRow>(new CommandDefinition("""
            WITH next AS (
                SELECT id FROM raw_items
                WHERE feed_id = @FeedId AND org_id = @OrgId AND consolidation_status = 'pending'
                ORDER BY id LIMIT @batch
                FOR UPDATE SKIP LOCKED
            )
            UPDATE raw_items r SET consolidation_status = 'processing', claimed_at = now(), claimed_by = @claimedBy
            FROM next WHERE r.id = next.id
            RETURNING r.id AS "Id", r.supplier_stone_id AS "SupplierStoneId", r.offer_id AS "OfferId",
                      r.source_updated_at AS "SourceUpdatedAt", r.payload::text AS "Payload"
            """, new { run.FeedId, run.OrgId, batch = settings.ConsolidationBatchSize, claimedBy = $"{Environment.MachineName}:{Environment.ProcessId}" },
            transaction, cancellationToken: cancellationToken))).ToList();

        if (claimed.Count == 0)
        {
            await FinishAsync(connection, transaction, run, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogCompleted(run.Id);
            return MessageOutcome.Complete;
        }

        var (done, failed) = await ProcessAsync(connection, transaction, run, feed, claimed, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_runs SET consolidation_processed = consolidation_processed + @done, consolidation_failed = consolidation_failed + @failed
            WHERE id = @Id
            """, new { run.Id, done, failed }, transaction, cancellationToken: cancellationToken));
        var next = step with { Step = step.Step + 1 };
        await publisher.PublishAsync(transaction, [new OutgoingMessage(QueueNames.IngestConsolidate, next.MessageId, PipelineJson.Serialize(next))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        PipelineTelemetry.ItemsConsolidated.Add(done, new KeyValuePair<string, object?>("outcome", "done"));
        PipelineTelemetry.ItemsConsolidated.Add(failed, new KeyValuePair<string, object?>("outcome", "failed"));
        return MessageOutcome.Complete;
    }

    /// <summary>
    /// Moves a finished run into consolidation. A run with failed partitions is refused unless forced; a run still
    /// ingesting waits (its last partition enqueues consolidation again).
    /// </summary>
    private async Task<bool> EnterConsolidationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, ConsolidateMessage step, CancellationToken cancellationToken)
    {
        if (run.Phase == "consolidating")
        {
            return true;
        }
        if (run.Phase != "running")
        {
            return false;
        }
        var counts = await RunStore.CountPartitionsAsync(connection, transaction, run.Id, cancellationToken);
        var ready = counts.AllCompleted || (step.Force && counts.AllSettled);
        if (!ready)
        {
            if (counts.AllSettled)
            {
                LogSkippedFailedPartitions(run.Id, counts.Failed);
            }
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_runs SET phase = 'consolidating', consolidation_started_at = now(), consolidation_forced = @Force WHERE id = @Id
            """, new { run.Id, step.Force }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    private async Task<(int Done, int Failed)> ProcessAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, FeedDefinition feed, List<RawRow> claimed, CancellationToken cancellationToken)
    {
        var adapter = adapters.Create(feed);
        var pricing = await PricingRuleStore.LoadEngineAsync(connection, transaction, run.OrgId, cancellationToken);
        var rows = new List<CatalogRow>(claimed.Count);
        var doneIds = new List<long>(claimed.Count);
        var failedIds = new List<long>();
        var errors = new List<string>();
        foreach (var raw in claimed)
        {
            try
            {
                var draft = adapter.Map(new RawStone(raw.SupplierStoneId, raw.OfferId, raw.SourceUpdatedAt, raw.Payload));
                var price = pricing.Price(new StoneForPricing(draft.FeedPrice, draft.Carats, draft.Shape, draft.LabGrown, run.FeedId));
                rows.Add(new CatalogRow(draft, price));
                doneIds.Add(raw.Id);
            }
            catch (FeedMappingException e)
            {
                failedIds.Add(raw.Id);
                errors.Add(e.Message.Length > 500 ? e.Message[..500] : e.Message);
            }
        }
        var chunk = options.Value.UpsertChunkSize;
        for (var start = 0; start < rows.Count; start += chunk)
        {
            await CatalogWriter.UpsertAsync(connection, transaction, run.OrgId, run.FeedId, run.Id, rows.GetRange(start, Math.Min(chunk, rows.Count - start)), cancellationToken);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE raw_items r SET consolidation_status = s.status, consolidated_at = now(), last_error = s.error
            FROM UNNEST(@ids::bigint[], @statuses::text[], @errors::text[]) AS s(id, status, error)
            WHERE r.id = s.id
            """,
            new
            {
                ids = doneIds.Concat(failedIds).ToArray(),
                statuses = Enumerable.Repeat("done", doneIds.Count).Concat(Enumerable.Repeat("failed", failedIds.Count)).ToArray(),
                errors = Enumerable.Repeat<string?>(null, doneIds.Count).Concat(errors).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        return (doneIds.Count, failedIds.Count);
    }

    private static async Task FinishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, CancellationToken cancellationToken)
    {
        var counts = await RunStore.CountPartitionsAsync(connection, transaction, run.Id, cancellationToken);
        if (run.IsFull && counts.AllCompleted)
        {
            // Only a full run that saw every partition may conclude that an unseen stone is gone.
            await connection.ExecuteAsync(new CommandDefinition("""
                WITH gone AS (
                    UPDATE diamonds d SET status = 'deleted', deleted_at = now(), updated_at = now()
                    FROM raw_items r
                    WHERE r.org_id = @OrgId AND r.feed_id = @FeedId AND r.seen_run_id <> @Id
                      AND d.org_id = r.org_id AND d.feed_id = r.feed_id AND d.supplier_stone_id = r.supplier_stone_id AND d.status = 'active'
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
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dataset_versions (org_id, feed_id, version) VALUES (@OrgId, @FeedId, 1)
            ON CONFLICT (org_id, feed_id) DO UPDATE SET version = dataset_versions.version + 1, updated_at = now();

            UPDATE pipeline_runs SET phase = 'completed', completed_at = now(),
                   watermark_after = (SELECT last_updated_at FROM feed_watermarks WHERE feed_id = @FeedId) WHERE id = @Id;
            """, new { run.OrgId, run.FeedId, run.Id, run.UpdatedTo }, transaction, cancellationToken: cancellationToken));
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
