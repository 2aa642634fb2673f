using Microsoft.Extensions.Options;
using Platform.Domain.Alerting;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>
/// The conditions of one organization's pipeline: a failed run, a run whose consolidation was refused because
/// partitions failed (status <c>partial</c>), and a feed's upstream breaker open too long while the feed has work.
/// Each query is bounded: a storm of failures still makes one short pass.
/// </summary>
public sealed class PipelineHealthProbe(NpgsqlDataSource dataSource, IOptions<AlertingOptions> options)
{
    private const int MaxSignalsPerKind = 500;

    public async Task<IReadOnlyList<AlertSignal>> ProbeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var signals = new List<AlertSignal>();

        // Failed within the lookback, and no later run of the same feed has completed since (that one fixed it).
        var failed = await connection.QueryAsync<(Guid RunId, Guid OrgId, Guid FeedId, string? Error)>(new CommandDefinition("""
            SELECT r.id, r.org_id, r.feed_id, r.error FROM pipeline_runs r
            WHERE r.phase = 'failed' AND r.completed_at > now() - make_interval(mins => @minutes)
              AND NOT EXISTS (SELECT 1 FROM pipeline_runs later
                              WHERE later.feed_id = r.feed_id AND later.phase = 'completed' AND later.created_at > r.created_at)
            ORDER BY r.completed_at DESC LIMIT @limit
            """, new { minutes = settings.RunLookbackMinutes, limit = MaxSignalsPerKind }, cancellationToken: cancellationToken));
        signals.AddRange(failed.Select(run => new AlertSignal(AlertKinds.RunFailed, $"run:{run.RunId}", run.OrgId,
            $"Run {run.RunId} of feed {run.FeedId} failed: {Shorten(run.Error ?? "no reason recorded")}",
            new Dictionary<string, object?> { ["runId"] = run.RunId, ["feedId"] = run.FeedId, ["error"] = Shorten(run.Error) })));

        var partial = await connection.QueryAsync<(Guid RunId, Guid OrgId, Guid FeedId, int Failed, int Total)>(new CommandDefinition("""
            SELECT id, org_id, feed_id, partitions_failed, partitions_total FROM pipeline_run_progress
            WHERE phase = 'running' AND status = 'partial'
            ORDER BY started_at LIMIT @limit
            """, new { limit = MaxSignalsPerKind }, cancellationToken: cancellationToken));
        signals.AddRange(partial.Select(run => new AlertSignal(AlertKinds.ConsolidationSkipped, $"run:{run.RunId}", run.OrgId,
            $"Run {run.RunId} is not consolidated: {run.Failed} of {run.Total} partitions failed. Retry them or force consolidation.",
            new Dictionary<string, object?> { ["runId"] = run.RunId, ["feedId"] = run.FeedId, ["failedPartitions"] = run.Failed, ["partitions"] = run.Total })));

        // Breakers live in each process; a report older than three intervals is from a process that is gone. An open
        // breaker of a feed without an active run is only waiting for a caller (Polly half-opens lazily): not an alert.
        var open = await connection.QueryAsync<(Guid FeedId, Guid OrgId, string Name, DateTimeOffset OpenedAt)>(new CommandDefinition("""
            SELECT c.feed_id, f.org_id, f.name, min(c.changed_at) FROM upstream_circuits c
            JOIN feeds f ON f.id = c.feed_id
            WHERE c.state = 'open' AND c.changed_at < now() - make_interval(secs => @openSeconds)
              AND c.reported_at > now() - make_interval(secs => @staleSeconds)
              AND EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.feed_id = c.feed_id AND r.phase IN ('scanning', 'running', 'consolidating'))
            GROUP BY c.feed_id, f.org_id, f.name LIMIT @limit
            """, new { openSeconds = settings.CircuitOpenSeconds, staleSeconds = settings.CircuitReportSeconds * 3, limit = MaxSignalsPerKind },
            cancellationToken: cancellationToken));
        signals.AddRange(open.Select(feed => new AlertSignal(AlertKinds.UpstreamCircuitOpen, $"feed:{feed.FeedId}", feed.OrgId,
            $"The upstream circuit of feed '{Shorten(feed.Name)}' ({feed.FeedId}) has been open since {feed.OpenedAt:u}: its supplier keeps failing.",
            new Dictionary<string, object?> { ["feedId"] = feed.FeedId, ["openedAt"] = feed.OpenedAt })));
        return signals;
    }

    private static string? Shorten(string? text) => text is { Length: > 300 } ? text[..300] + "…" : text;
}
