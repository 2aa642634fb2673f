using System.Diagnostics;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Telemetry;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Infrastructure.Ingestion.Pages;

/// <summary>
/// One page per message (PLATFORM §5.3). Skips — acknowledging without any change — pages of finished or failed
/// partitions and pages whose offset is not the partition's <c>next_offset</c> (duplicates, out-of-order).
/// Otherwise fetches the page and hands it to <see cref="PageWriter"/>: in one transaction under the partition's row
/// lock it upserts the raw rows, advances <c>next_offset</c> and enqueues the next page, or completes the partition
/// and, when it was the run's last, enqueues consolidation. A crash before commit changes nothing; after it, the
/// redelivered message is a duplicate and is skipped. There is no window between advancing and enqueueing.
/// </summary>
public sealed partial class PageHandler(
    NpgsqlDataSource dataSource, IFeedAdapterFactory adapters, PageWriter writer, IMessagePublisher publisher, IOptions<PipelineOptions> options,
    IErrorLog errors, ILogger<PageHandler> logger)
    : IMessageHandler
{
    public async Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (PipelineJson.TryDeserialize<PageMessage>(message.Body) is not { } page)
        {
            return MessageOutcome.DeadLetter("Not a page message.");
        }
        // Every line logged for this page names its organization, run and partition.
        using var scope = logger.BeginScope(LogScope.ForPartition(page.OrgId, page.RunId, page.PartitionId));
        PageContext? context;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            context = await ReadContextAsync(connection, page, cancellationToken);
        }
        // Duplicates and out-of-order pages are skipped before the supplier is asked; the writer's compare-and-set has the last word.
        if (context is null || !context.State.Accepts(page))
        {
            Skipped(context is null || !context.State.IsActive ? "inactive" : "duplicate");
            return MessageOutcome.Complete;
        }
        var (state, feed) = context;

        FeedPage fetched;
        try
        {
            fetched = await adapters.Create(feed).SearchAsync(
                new FeedQuery(page.MinPrice, page.MaxPrice, page.UpdatedFrom, page.UpdatedTo), page.Offset, page.Limit, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(page, e, cancellationToken);
            return MessageOutcome.Complete;
        }

        var nextOffset = page.Offset + fetched.Items.Count;
        var hasMore = fetched.Items.Count >= page.Limit;
        var written = await writer.WriteAsync(new PageWrite(page, state.RunType == "full", fetched.Items, nextOffset, hasMore));
        if (!written.Written)
        {
            Skipped("duplicate");
            return MessageOutcome.Complete;
        }
        if (written.RunPartitions is { } counts)
        {
            LogPartitionCompleted(page.RunId, page.PartitionId, counts.Completed, counts.Total);
        }
        PipelineTelemetry.ItemsIngested.Add(fetched.Items.Count);
        PipelineTelemetry.PagesProcessed.Add(1);
        return MessageOutcome.Complete;
    }

    /// <summary>
    /// Counts the failed attempt on the partition and schedules the same page again with backoff, in one
    /// transaction; after the maximum the partition is failed instead.
    /// </summary>
    private async Task RecordFailureAsync(PageMessage page, Exception error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var attempts = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
            UPDATE run_partitions
            SET attempts = attempts + 1,
                last_error = @error,
                failed = attempts + 1 >= @maxAttempts,
                next_retry_at = CASE WHEN attempts + 1 >= @maxAttempts THEN NULL
                                     ELSE now() + make_interval(secs => least(@baseSeconds * power(2, attempts), @maxSeconds)) END,
                updated_at = now()
            WHERE run_id = @RunId AND partition_id = @PartitionId AND next_offset = @Offset AND NOT completed AND NOT failed
            RETURNING attempts
            """,
            new
            {
                page.RunId, page.PartitionId, page.Offset, maxAttempts = settings.MaxPartitionAttempts,
                baseSeconds = (double)settings.PartitionRetryBaseSeconds, maxSeconds = (double)settings.PartitionRetryMaxSeconds,
                error = $"{error.GetType().Name}: {error.Message}" is var text && text.Length > 1000 ? text[..1000] : text,
            }, transaction, cancellationToken: CancellationToken.None));
        if (attempts is { } count && count < settings.MaxPartitionAttempts)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(settings.PartitionRetryBaseSeconds * Math.Pow(2, count - 1), settings.PartitionRetryMaxSeconds));
            var retry = new OutgoingMessage(QueueNames.IngestPage, $"{page.MessageId}:retry{count}", PipelineJson.Serialize(page), DateTimeOffset.UtcNow + delay);
            await publisher.PublishAsync(transaction, [retry], CancellationToken.None);
        }
        else if (attempts is not null)
        {
            await RunCompletion.EnqueueConsolidationIfLastAsync(connection, transaction, publisher, page.OrgId, page.RunId, CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
        PipelineTelemetry.PagesFailed.Add(1, PipelineTelemetry.Tag("outcome", attempts is { } n && n < settings.MaxPartitionAttempts ? "retried" : "partition_failed"));
        ErrorTelemetry.Record(ErrorTelemetry.Upstream, "page_failed");
        errors.Record(ErrorCategories.Page, ErrorLogCodes.PageFetchFailed, error, page.OrgId, new Dictionary<string, object?>
        {
            ["runId"] = page.RunId, ["feedId"] = page.FeedId, ["partitionId"] = page.PartitionId, ["offset"] = page.Offset,
            ["attempts"] = attempts ?? 0, ["partitionFailed"] = attempts is not { } failed || failed >= settings.MaxPartitionAttempts,
        });
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        LogPageFailed(error, page.RunId, page.PartitionId, page.Offset, attempts ?? 0);
    }

    /// <summary>The partition's state and the feed, in one round trip; null when the partition does not exist.</summary>
    private static async Task<PageContext?> ReadContextAsync(NpgsqlConnection connection, PageMessage page, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<PartitionState, FeedDefinition, PageContext>(new CommandDefinition("""
            SELECT p.next_offset AS "NextOffset", p.completed AS "Completed", p.failed AS "Failed", r.phase AS "Phase", r.run_type AS "RunType",
                   f.id AS "Id", f.org_id AS "OrgId", f.adapter AS "Adapter", f.config::text AS "ConfigJson", f.secret_ref AS "SecretRef",
                   f.page_size AS "PageSize", f.max_page_size AS "MaxPageSize", f.upstream_rps AS "UpstreamRps"
            FROM run_partitions p
            JOIN pipeline_runs r ON r.id = p.run_id
            JOIN feeds f ON f.org_id = r.org_id AND f.id = r.feed_id
            WHERE p.run_id = @RunId AND p.partition_id = @PartitionId AND r.org_id = @OrgId
            """, new { page.RunId, page.PartitionId, page.OrgId }, cancellationToken: cancellationToken),
            (state, feed) => new PageContext(state, feed), splitOn: "Id");
        return rows.FirstOrDefault();
    }

    private static void Skipped(string reason) => PipelineTelemetry.PagesSkipped.Add(1, PipelineTelemetry.Tag("reason", reason));

    private sealed record PageContext(PartitionState State, FeedDefinition Feed);

    private sealed class PartitionState
    {
        public int NextOffset { get; init; }
        public bool Completed { get; init; }
        public bool Failed { get; init; }
        public string Phase { get; init; } = "";
        public string RunType { get; init; } = "";

        public bool IsActive => Phase == "running" && !Completed && !Failed;

        public bool Accepts(PageMessage page) => IsActive && NextOffset == page.Offset;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: partition {PartitionId} completed ({Completed}/{Total})")]
    private partial void LogPartitionCompleted(Guid runId, string partitionId, int completed, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: page {PartitionId}@{Offset} failed (attempt {Attempts})")]
    private partial void LogPageFailed(Exception exception, Guid runId, string partitionId, int offset, int attempts);
}
