using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Ingestion.Runs;

/// <summary>A run as readers see it: status and counts derived from its partitions (view <c>pipeline_run_progress</c>).</summary>
public sealed class RunView
{
    public Guid Id { get; init; }
    public Guid FeedId { get; init; }
    public string RunType { get; init; } = "";
    public string Status { get; init; } = "";
    public string Trigger { get; init; } = "";
    public DateTimeOffset UpdatedFrom { get; init; }
    public DateTimeOffset UpdatedTo { get; init; }
    public int PartitionsTotal { get; init; }
    public int PartitionsCompleted { get; init; }
    public int PartitionsFailed { get; init; }
    public long ConsolidationProcessed { get; init; }
    public long ConsolidationFailed { get; init; }
    public bool ConsolidationForced { get; init; }
    public int? HeatmapApiCalls { get; init; }
    public string? Error { get; init; }
    public string? TraceId { get; init; }
    public DateTimeOffset? WatermarkBefore { get; init; }
    public DateTimeOffset? WatermarkAfter { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? ConsolidationStartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}

public sealed class PartitionView
{
    public string PartitionId { get; init; } = "";
    public decimal MinPrice { get; init; }
    public decimal MaxPrice { get; init; }
    public long EstimatedRecords { get; init; }
    public int NextOffset { get; init; }
    public bool Completed { get; init; }
    public bool Failed { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextRetryAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Organization-scoped reads of runs; another organization's run id finds nothing.</summary>
public sealed class RunQueries(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, feed_id, run_type, status, trigger, updated_from, updated_to, partitions_total, partitions_completed, partitions_failed,
        consolidation_processed, consolidation_failed, consolidation_forced, heatmap_api_calls, error, trace_id,
        watermark_before, watermark_after, created_at, started_at, consolidation_started_at, completed_at
        """;

    public async Task<RunView?> FindAsync(Guid orgId, Guid runId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.QuerySingleOrDefaultAsync<RunView>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_run_progress WHERE org_id = @orgId AND id = @runId", new { orgId, runId }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first; <paramref name="before"/> is the last id of the previous page (ids are time-ordered UUIDv7).</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(Guid orgId, Guid? feedId, Guid? before, int limit, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return (await connection.QueryAsync<RunView>(new CommandDefinition($"""
            SELECT {Columns} FROM pipeline_run_progress
            WHERE org_id = @orgId AND (@feedId::uuid IS NULL OR feed_id = @feedId) AND (@before::uuid IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """, new { orgId, feedId, before, limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The run's partitions, or null when the run is not the organization's.</summary>
    public async Task<IReadOnlyList<PartitionView>?> PartitionsAsync(Guid orgId, Guid runId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pipeline_runs WHERE org_id = @orgId AND id = @runId)", new { orgId, runId }, cancellationToken: cancellationToken));
        if (!exists)
        {
            return null;
        }
        return (await connection.QueryAsync<PartitionView>(new CommandDefinition("""
            SELECT partition_id, min_price, max_price, estimated_records, next_offset, completed, failed, attempts, next_retry_at, last_error, updated_at
            FROM run_partitions WHERE org_id = @orgId AND run_id = @runId ORDER BY partition_id
            """, new { orgId, runId }, cancellationToken: cancellationToken))).ToList();
    }
    /// <summary>
    /// The partitions of several runs in one statement (GraphQL batches <c>run.partitions</c> with it); runs of other
    /// organizations, and runs without partitions yet, are absent from the result.
    /// </summary>
    public async Task<IReadOnlyList<(Guid RunId, PartitionView Partition)>> PartitionsOfAsync(Guid orgId, IReadOnlyList<Guid> runIds, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<Guid, PartitionView, (Guid, PartitionView)>(new CommandDefinition("""
            SELECT run_id, partition_id, min_price, max_price, estimated_records, next_offset, completed, failed, attempts, next_retry_at, last_error, updated_at
            FROM run_partitions WHERE org_id = @orgId AND run_id = ANY(@runIds) ORDER BY run_id, partition_id
            """, new { orgId, runIds = runIds.ToArray() }, cancellationToken: cancellationToken),
            (runId, partition) => (runId, partition), splitOn: "partition_id");
        return rows.ToList();
    }
}
