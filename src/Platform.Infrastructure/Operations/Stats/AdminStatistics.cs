using Platform.Infrastructure.Operations.Queues;

namespace Platform.Infrastructure.Operations.Stats;

/// <summary>Runs started in the window, by status (<c>pipeline_run_progress.status</c>: queued … completed, partial, failed, cancelled).</summary>
public sealed record RunCount(string Status, long Count);

/// <summary>The last completed run: items consolidated and how fast (items over the time from start to completion).</summary>
public sealed class LastRunThroughput
{
    public required Guid RunId { get; init; }
    public required Guid OrganizationId { get; init; }
    public required long Items { get; init; }
    public required double Seconds { get; init; }
    public required double ItemsPerSecond { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}

/// <summary>The cache figures of the process that answered (each api replica keeps its own).</summary>
public sealed record CacheFigures(long Hits, long Misses, double? HitRatio);

public sealed record PlatformStats(
    long CatalogSize, int RunWindowDays, IReadOnlyList<RunCount> Runs, LastRunThroughput? LastRun, CacheFigures Cache,
    IReadOnlyDictionary<string, long> QueueDepths, DateTimeOffset GeneratedAt);

/// <summary>The platform-wide figures of <c>GET /api/v1/admin/stats</c>.</summary>
public sealed class AdminStatistics(NpgsqlDataSource dataSource, QueueStatistics queues, CacheTally cache, TimeProvider time)
{
    public const int RunWindowDays = 7;

    public async Task<PlatformStats> ReadAsync(CancellationToken cancellationToken)
    {
        long catalogSize;
        List<RunCount> runs;
        LastRunThroughput? lastRun;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            catalogSize = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM diamonds WHERE status = 'active'", cancellationToken: cancellationToken));
            runs = (await connection.QueryAsync<RunCount>(new CommandDefinition("""
                SELECT status AS "Status", count(*) AS "Count" FROM pipeline_run_progress
                WHERE created_at >= now() - make_interval(days => @days)
                GROUP BY status ORDER BY status
                """, new { days = RunWindowDays }, cancellationToken: cancellationToken))).ToList();
            lastRun = await connection.QuerySingleOrDefaultAsync<LastRunThroughput>(new CommandDefinition("""
                SELECT id AS "RunId", org_id AS "OrganizationId", consolidation_processed AS "Items",
                       extract(epoch FROM completed_at - coalesce(started_at, created_at))::float8 AS "Seconds",
                       CASE WHEN completed_at > coalesce(started_at, created_at)
                            THEN round((consolidation_processed / extract(epoch FROM completed_at - coalesce(started_at, created_at)))::numeric, 2)::float8
                            ELSE 0 END AS "ItemsPerSecond",
                       completed_at AS "CompletedAt"
                FROM pipeline_runs
                WHERE phase = 'completed' AND completed_at IS NOT NULL
                ORDER BY completed_at DESC, id DESC
                LIMIT 1
                """, cancellationToken: cancellationToken));
        }
        var depths = (await queues.ReadAsync(cancellationToken)).ToDictionary(q => q.Queue, q => q.Depth, StringComparer.Ordinal);
        return new PlatformStats(catalogSize, RunWindowDays, runs, lastRun, new CacheFigures(cache.Hits, cache.Misses, cache.HitRatio),
            depths, time.GetUtcNow());
    }
}
