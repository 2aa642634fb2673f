using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Ingestion.Heatmap;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Ingestion.Runs;

/// <summary>
/// Turns a new run into work: the heatmap density scan (or a recount of the feed's cached snapshot for
/// incremental runs), then in one transaction the partitions, the run's move to <c>running</c> and the first
/// page of every partition. Idempotent: a run that is no longer <c>scanning</c> is left alone.
/// </summary>
public sealed partial class ScanHandler(
    NpgsqlDataSource dataSource, IFeedAdapterFactory adapters, IMessagePublisher publisher, TimeProvider time, ILogger<ScanHandler> logger)
    : IMessageHandler
{
    private const string BaseQueryHash = "all-shapes";

    public async Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (PipelineJson.TryDeserialize<ScanMessage>(message.Body) is not { } scan)
        {
            return MessageOutcome.DeadLetter("Not a scan message.");
        }
        using var scope = logger.BeginScope(LogScope.ForRun(scan.OrgId, scan.RunId));
        RunRecord? run;
        FeedDefinition? feed;
        string? snapshot;
        string overrides;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            run = await RunStore.FindAsync(connection, null, scan.OrgId, scan.RunId, RunLock.None, cancellationToken);
            if (run is not { Phase: "scanning" })
            {
                return MessageOutcome.Complete;
            }
            feed = await FeedStore.FindAsync(connection, null, run.OrgId, run.FeedId, cancellationToken);
            overrides = await connection.QuerySingleAsync<string>(new CommandDefinition(
                "SELECT heatmap_overrides::text FROM feeds WHERE id = @FeedId", new { run.FeedId }, cancellationToken: cancellationToken));
            snapshot = run.IsFull ? null : await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT density_map::text FROM heatmap_snapshots WHERE feed_id = @FeedId AND base_query_hash = @hash",
                new { run.FeedId, hash = BaseQueryHash }, cancellationToken: cancellationToken));
        }
        if (feed is null)
        {
            await FailAsync(run.Id, "The feed no longer exists.");
            return MessageOutcome.Complete;
        }

        HeatmapResult result;
        try
        {
            var adapter = adapters.Create(feed);
            var scanner = new HeatmapScanner(HeatmapSettings(overrides, run.IsFull), time);
            Task<long> Count(PriceRange range, CancellationToken ct) =>
                adapter.CountAsync(new FeedQuery(range.Min, range.Max, run.UpdatedFrom, run.UpdatedTo), ct);
            var cached = snapshot is null ? null : JsonSerializer.Deserialize<HeatmapResult>(snapshot);
            using (var span = PipelineTelemetry.Start("heatmap scan", run.Id))
            {
                span?.SetTag("platform.heatmap.mode", cached is { Partitions.Count: > 0 } ? "recount" : "scan");
                result = cached is { Partitions.Count: > 0 }
                    ? await scanner.RecountAsync(cached.Partitions, Count, cancellationToken)
                    : await scanner.ScanAsync(Count, cancellationToken);
                span?.SetTag("platform.items.count", result.TotalRecords);
                span?.SetTag("platform.partitions.count", result.Partitions.Count);
                span?.SetTag("platform.heatmap.api_calls", result.Stats.ApiCalls);
            }
            PipelineTelemetry.HeatmapApiCalls.Record(result.Stats.ApiCalls, PipelineTelemetry.Tag("run_type", run.IsFull ? "full" : "incremental"));
            LogScanned(run.Id, result.TotalRecords, result.Partitions.Count, result.Stats.ApiCalls);
            await CreatePartitionsAsync(run, feed, adapter, result, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && message.IsLastAttempt)
        {
            await FailAsync(run.Id, $"Heatmap scan failed: {e.Message}");
            return MessageOutcome.DeadLetter(e.Message);
        }
        return MessageOutcome.Complete;
    }

    private async Task CreatePartitionsAsync(RunRecord run, FeedDefinition feed, IFeedAdapter adapter, HeatmapResult result, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await RunStore.FindAsync(connection, transaction, run.OrgId, run.Id, RunLock.Update, cancellationToken);
        if (locked is not { Phase: "scanning" })
        {
            return;
        }
        var partitions = result.Partitions;
        var limit = Math.Clamp(feed.PageSize, 1, Math.Min(feed.MaxPageSize, adapter.MaxPageSize));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records)
            SELECT @runId, p, @orgId, lo, hi, n FROM UNNEST(@ids::text[], @mins::numeric[], @maxes::numeric[], @estimates::bigint[]) AS t(p, lo, hi, n)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                runId = run.Id, orgId = run.OrgId,
                ids = partitions.Select(p => p.PartitionId).ToArray(),
                mins = partitions.Select(p => p.MinPrice).ToArray(),
                maxes = partitions.Select(p => p.MaxPrice).ToArray(),
                estimates = partitions.Select(p => p.EstimatedRecords).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_runs SET phase = 'running', expected_partitions = @count, started_at = now(), heatmap_api_calls = @calls, page_limit = @limit
            WHERE id = @runId
            """, new { runId = run.Id, count = partitions.Count, calls = result.Stats.ApiCalls, limit }, transaction, cancellationToken: cancellationToken));
        if (run.IsFull)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO heatmap_snapshots (feed_id, base_query_hash, density_map, total_records, api_calls)
                VALUES (@FeedId, @hash, @map::jsonb, @total, @calls)
                ON CONFLICT (feed_id, base_query_hash) DO UPDATE
                SET density_map = EXCLUDED.density_map, total_records = EXCLUDED.total_records, api_calls = EXCLUDED.api_calls, computed_at = now()
                """, new { run.FeedId, hash = BaseQueryHash, map = JsonSerializer.Serialize(result), total = result.TotalRecords, calls = result.Stats.ApiCalls },
                transaction, cancellationToken: cancellationToken));
        }
        var firstPages = partitions.Select(p => new PageMessage(run.Id, run.OrgId, run.FeedId, p.PartitionId, p.MinPrice, p.MaxPrice, run.UpdatedFrom, run.UpdatedTo, 0, limit))
            .Select(page => new OutgoingMessage(QueueNames.IngestPage, page.MessageId, PipelineJson.Serialize(page)))
            .ToList();
        await publisher.PublishAsync(transaction, firstPages, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The feed's <c>heatmap_overrides</c> over the defaults (PLATFORM §5.2); incremental runs cap workers at 10 unless overridden.</summary>
    private static HeatmapOptions HeatmapSettings(string overridesJson, bool fullRun)
    {
        var defaults = fullRun ? new HeatmapOptions() : new HeatmapOptions().ForIncremental();
        using var overrides = JsonDocument.Parse(overridesJson);
        if (overrides.RootElement.ValueKind != JsonValueKind.Object || !overrides.RootElement.EnumerateObject().Any())
        {
            return defaults;
        }
        var merged = JsonSerializer.SerializeToNode(defaults, HeatmapJson)!.AsObject();
        foreach (var property in overrides.RootElement.EnumerateObject())
        {
            merged[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }
        return merged.Deserialize<HeatmapOptions>(HeatmapJson)!;
    }

    private static readonly JsonSerializerOptions HeatmapJson = new(JsonSerializerDefaults.Web);

    private async Task FailAsync(Guid runId, string error)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await RunStore.FailAsync(connection, transaction, publisher, runId, error, CancellationToken.None);
        await transaction.CommitAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: heatmap found {Total} records in {Partitions} partitions with {ApiCalls} count calls")]
    private partial void LogScanned(Guid runId, long total, int partitions, int apiCalls);
}
