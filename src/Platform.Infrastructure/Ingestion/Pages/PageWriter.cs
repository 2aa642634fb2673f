using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Concurrency;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Pages;

/// <summary>A fetched page, ready to be written: its message, its stones and where the partition goes next.</summary>
public sealed record PageWrite(PageMessage Page, bool FullRun, IReadOnlyList<RawStone> Items, int NextOffset, bool HasMore);

/// <summary>
/// What became of a page: written, or skipped because its partition had moved on (a duplicate). A partition's last
/// page also gets the run's partition counts after its transaction.
/// </summary>
public readonly record struct PageWriteResult(bool Written, PartitionCounts? RunPartitions = null);

/// <summary>
/// Writes fetched pages, several in one transaction when several are ready at once (ADR 0041): the pages that reach
/// the writer while a transaction is open wait and go together into the next one, at most
/// <see cref="PipelineOptions.PageWriteBatch"/>. Each page keeps its own semantics (PLATFORM §5.3): its partition's
/// compare-and-set on <c>next_offset</c> decides whether it is written or skipped, and its next page or the run's
/// consolidation is enqueued in the transaction that writes it. A caller learns its page's fate only after the
/// commit, so its message is acknowledged only once the page's effects are durable. If a shared transaction fails,
/// each of its pages is tried again alone, so one bad page cannot fail the others.
/// </summary>
public sealed partial class PageWriter
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IMessagePublisher _publisher;
    private readonly ILogger<PageWriter> _logger;
    private readonly GroupCommit<Pending, PageOutcome> _writes;

    public PageWriter(NpgsqlDataSource dataSource, IMessagePublisher publisher, IOptions<PipelineOptions> options, ILogger<PageWriter> logger)
    {
        _dataSource = dataSource;
        _publisher = publisher;
        _logger = logger;
        _writes = new(WriteBatchAsync, options.Value.PageWriteBatch, options.Value.PageWriters);
    }

    /// <summary>Writes the page, alone or with others; returns once its transaction has committed.</summary>
    public async Task<PageWriteResult> WriteAsync(PageWrite write)
    {
        var outcome = await _writes.SubmitAsync(new Pending(write, Activity.Current));
        outcome.Error?.Throw();
        return outcome.Result;
    }

    /// <summary>
    /// One outcome per page. If the shared transaction fails, each page is written again alone, so a page that cannot
    /// be written fails alone, with its own error.
    /// </summary>
    private async Task<IReadOnlyList<PageOutcome>> WriteBatchAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var results = await WriteInTransactionAsync(batch);
            PipelineTelemetry.PagesPerWrite.Record(batch.Count);
            return [.. batch.Select(p => new PageOutcome(results.GetValueOrDefault(p), null))];
        }
        catch (Exception e) when (batch.Count > 1)
        {
            LogBatchFailed(e, batch.Count);
            var outcomes = new List<PageOutcome>(batch.Count);
            foreach (var pending in batch)
            {
                outcomes.Add((await WriteBatchAsync([pending]))[0]);
            }
            return outcomes;
        }
        catch (Exception e)
        {
            return [new PageOutcome(default, ExceptionDispatchInfo.Capture(e))];
        }
    }

    /// <summary>The written pages' results; pages not in it were skipped.</summary>
    private async Task<Dictionary<Pending, PageWriteResult>> WriteInTransactionAsync(IReadOnlyList<Pending> batch)
    {
        // Shutdown does not cut a write short: it is one short transaction, and its callers wait for its outcome.
        var cancellationToken = CancellationToken.None;
        // Statements that serve the whole batch run under its first page's span; those of one page or one run, under theirs.
        using var batchScope = UseActivity(batch[0].Activity);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var advanced = await AdvancePartitionsAsync(connection, transaction, batch, cancellationToken);

        foreach (var run in advanced.Where(p => p.Write.Items.Count > 0).GroupBy(p => p.Write.Page.RunId))
        {
            var first = run.First();
            using var runScope = UseActivity(first.Activity);
            using var span = PipelineTelemetry.Start("raw upsert", first.Write.Page.RunId);
            span?.SetTag("platform.pages.count", run.Count());
            span?.SetTag("platform.items.count", run.Sum(p => p.Write.Items.Count));
            var queued = await RawItemWriter.UpsertAsync(connection, transaction, first.Write.Page.OrgId, first.Write.Page.FeedId,
                first.Write.Page.RunId, first.Write.FullRun, [.. run.Select(p => p.Write.Items)], cancellationToken);
            span?.SetTag("platform.items.changed", queued);
        }
        foreach (var pending in advanced.Where(p => p.Write.HasMore))
        {
            // One statement per page, under the page's own span, so the next page's message carries the right trace.
            var next = pending.Write.Page.Next(pending.Write.NextOffset);
            using var pageScope = UseActivity(pending.Activity);
            await _publisher.PublishAsync(transaction, [new OutgoingMessage(QueueNames.IngestPage, next.MessageId, PipelineJson.Serialize(next))], cancellationToken);
        }
        var results = advanced.ToDictionary(p => p, _ => new PageWriteResult(true));
        foreach (var completed in advanced.Where(p => !p.Write.HasMore).GroupBy(p => p.Write.Page.RunId))
        {
            var first = completed.First();
            using var runScope = UseActivity(first.Activity);
            var counts = await RunCompletion.EnqueueConsolidationIfLastAsync(
                connection, transaction, _publisher, first.Write.Page.OrgId, first.Write.Page.RunId, cancellationToken);
            foreach (var pending in completed)
            {
                results[pending] = new PageWriteResult(true, counts);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// The compare-and-set of every page's partition in one statement; it takes the partitions' row locks. A page whose
    /// offset is no longer its partition's <c>next_offset</c> (a duplicate, a rescued copy) does not advance and is skipped,
    /// and so is a second copy of the same page in the batch.
    /// </summary>
    private static async Task<HashSet<Pending>> AdvancePartitionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        var distinct = batch.DistinctBy(p => (p.Write.Page.RunId, p.Write.Page.PartitionId, p.Write.Page.Offset)).ToList();
        var rows = await connection.QueryAsync<(Guid RunId, string PartitionId, int Offset)>(new CommandDefinition("""
            UPDATE run_partitions p
            SET next_offset = v.next_offset, completed = NOT v.has_more, attempts = 0, next_retry_at = NULL, last_error = NULL,
                updated_at = now(), last_page_at = now()
            FROM UNNEST(@runIds::uuid[], @orgIds::uuid[], @partitionIds::text[], @offsets::int[], @nextOffsets::int[], @hasMore::boolean[])
                     AS v(run_id, org_id, partition_id, "offset", next_offset, has_more),
                 pipeline_runs r
            WHERE p.run_id = v.run_id AND p.partition_id = v.partition_id AND p.next_offset = v."offset" AND NOT p.completed AND NOT p.failed
              AND r.id = p.run_id AND r.org_id = v.org_id AND r.phase = 'running'
            RETURNING p.run_id, p.partition_id, v."offset"
            """, new
        {
            runIds = distinct.Select(p => p.Write.Page.RunId).ToArray(),
            orgIds = distinct.Select(p => p.Write.Page.OrgId).ToArray(),
            partitionIds = distinct.Select(p => p.Write.Page.PartitionId).ToArray(),
            offsets = distinct.Select(p => p.Write.Page.Offset).ToArray(),
            nextOffsets = distinct.Select(p => p.Write.NextOffset).ToArray(),
            hasMore = distinct.Select(p => p.Write.HasMore).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        var keys = rows.ToHashSet();
        return distinct.Where(p => keys.Contains((p.Write.Page.RunId, p.Write.Page.PartitionId, p.Write.Page.Offset))).ToHashSet();
    }

    /// <summary>Makes <paramref name="activity"/> current until disposed: spans and message headers then belong to that page.</summary>
    private static CurrentActivity UseActivity(Activity? activity)
    {
        var previous = Activity.Current;
        Activity.Current = activity;
        return new CurrentActivity(previous);
    }

    private readonly struct CurrentActivity(Activity? previous) : IDisposable
    {
        public void Dispose() => Activity.Current = previous;
    }

    private sealed class Pending(PageWrite write, Activity? activity)
    {
        public PageWrite Write { get; } = write;

        /// <summary>The page's own span (its message's consumer span), current while its statements run.</summary>
        public Activity? Activity { get; } = activity;
    }

    private readonly record struct PageOutcome(PageWriteResult Result, ExceptionDispatchInfo? Error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} pages in one transaction failed; writing each alone")]
    private partial void LogBatchFailed(Exception exception, int count);
}
