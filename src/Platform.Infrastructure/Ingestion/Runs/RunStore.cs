using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Ingestion.Runs;

/// <summary>A run's fixed facts, as the handlers need them.</summary>
public sealed class RunRecord
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public required Guid FeedId { get; init; }
    public required string RunType { get; init; }
    public required string Phase { get; init; }
    public required DateTimeOffset UpdatedFrom { get; init; }
    public required DateTimeOffset UpdatedTo { get; init; }
    public int? ExpectedPartitions { get; init; }
    public int? PageLimit { get; init; }

    public bool IsFull => RunType == "full";
}

/// <summary>Counts derived from <c>run_partitions</c> (never from counters).</summary>
public sealed record PartitionCounts(int Total, int Completed, int Failed)
{
    public bool AllCompleted => Total > 0 && Completed == Total;
    public bool AllSettled => Total > 0 && Completed + Failed == Total;
}

/// <summary>The row lock a read of a run takes (PostgreSQL row-level lock modes).</summary>
public enum RunLock
{
    None,

    /// <summary><c>FOR KEY SHARE</c>: concurrent consolidation steps share it and may still update the counters.</summary>
    KeyShare,

    /// <summary><c>FOR UPDATE</c>: waits for every other holder; phase changes take it.</summary>
    Update,
}

public static class RunStore
{
    private const string RunColumns = """
        id AS "Id", org_id AS "OrgId", feed_id AS "FeedId", run_type AS "RunType", phase AS "Phase",
        updated_from AS "UpdatedFrom", updated_to AS "UpdatedTo", expected_partitions AS "ExpectedPartitions", page_limit AS "PageLimit"
        """;

    public static Task<RunRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, Guid runId, RunLock lockMode, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"SELECT {RunColumns} FROM pipeline_runs WHERE org_id = @orgId AND id = @runId{LockClause(lockMode)}",
            new { orgId, runId }, transaction, cancellationToken: cancellationToken));

    private static string LockClause(RunLock lockMode) => lockMode switch
    {
        RunLock.KeyShare => " FOR KEY SHARE",
        RunLock.Update => " FOR UPDATE",
        _ => "",
    };

    public static Task<PartitionCounts> CountPartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid runId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<PartitionCounts>(new CommandDefinition("""
            SELECT count(*)::int AS "Total", count(*) FILTER (WHERE completed)::int AS "Completed", count(*) FILTER (WHERE failed)::int AS "Failed"
            FROM run_partitions WHERE run_id = @runId
            """, new { runId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Fails an active run and, in the same transaction, hands its running slot to the organization's oldest queued run
    /// (<see cref="RunCapacity"/>). False when the run had already ended.
    /// </summary>
    public static async Task<bool> FailAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IMessagePublisher publisher, Guid runId, string error, CancellationToken cancellationToken)
    {
        var failed = await connection.QuerySingleOrDefaultAsync<FailedRun>(new CommandDefinition("""
            UPDATE pipeline_runs SET phase = 'failed', error = @error, completed_at = now()
            WHERE id = @runId AND phase IN ('queued', 'scanning', 'running', 'consolidating')
            RETURNING org_id AS "OrgId", run_type AS "RunType"
            """, new { runId, error = error.Length > 1000 ? error[..1000] : error }, transaction, cancellationToken: cancellationToken));
        if (failed is not { } run)
        {
            return false;
        }
        await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, run.OrgId, cancellationToken);
        // Counted as the failure is written: every caller commits right after, and a rolled-back failure is retried.
        PipelineTelemetry.RunsFinished.Add(1, PipelineTelemetry.Tag("run_type", run.RunType), PipelineTelemetry.Tag("status", "failed"));
        ErrorTelemetry.Record(ErrorTelemetry.Run, "run_failed");
        System.Diagnostics.Activity.Current?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "run failed");
        return true;
    }

    private sealed class FailedRun
    {
        public Guid OrgId { get; init; }
        public string RunType { get; init; } = "";
    }
}
