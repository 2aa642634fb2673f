using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Feeds.Resilience;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>
/// Writes this process's upstream breaker states to <c>upstream_circuits</c> every
/// <see cref="AlertingOptions.CircuitReportSeconds"/>: the breakers live in memory, and the alert monitor (another
/// process) needs to know how long one has been open. A process that stops reporting goes stale and is ignored.
/// </summary>
public sealed partial class UpstreamCircuitReporter(
    NpgsqlDataSource dataSource, IUpstreamCircuitMonitor circuits, TimeProvider time, IOptions<AlertingOptions> options,
    ILogger<UpstreamCircuitReporter> logger) : BackgroundService
{
    public static string Instance { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CircuitReportSeconds), time);
        do
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Watching must never stop the worker (a failed BackgroundService stops its host): log and try again next tick.
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var snapshot = circuits.Snapshot();
        if (snapshot.Count == 0)
        {
            return;
        }
        var feeds = snapshot.Keys.ToArray();
        var states = snapshot.Values.Select(s => s.State switch
        {
            UpstreamCircuitState.Open => "open",
            UpstreamCircuitState.HalfOpen => "half_open",
            _ => "closed",
        }).ToArray();
        var changed = snapshot.Values.Select(s => s.ChangedAt.UtcDateTime).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO upstream_circuits (feed_id, instance, org_id, state, changed_at, reported_at)
            SELECT u.feed_id, @instance, f.org_id, u.state, u.changed_at, now()
            FROM unnest(@feeds::uuid[], @states::text[], @changed::timestamptz[]) AS u(feed_id, state, changed_at)
            LEFT JOIN feeds f ON f.id = u.feed_id
            ON CONFLICT (feed_id, instance) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, reported_at = now()
            """, new { instance = Instance, feeds, states, changed }, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reporting upstream circuit states failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
