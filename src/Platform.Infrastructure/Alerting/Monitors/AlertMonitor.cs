using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Ingestion.Scheduling;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>
/// The maintenance role's health monitors: every <see cref="AlertingOptions.IntervalSeconds"/> the leader (its own
/// advisory lock, so alerting keeps running whatever the pipeline maintenance is doing) probes the queues and the
/// pipeline and hands the conditions to the <see cref="AlertEvaluator"/>.
/// </summary>
public sealed partial class AlertMonitor(
    NpgsqlDataSource dataSource, QueueHealthProbe queues, PipelineHealthProbe pipeline, AlertEvaluator evaluator, TimeProvider time,
    IOptions<AlertingOptions> options, ILogger<AlertMonitor> logger) : BackgroundService
{
    /// <summary>"Alerting" in ASCII, shortened: the advisory lock of the monitor's leader.</summary>
    public const long LeaderLockKey = 0x416C657274696E67;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = new LeaderLease(dataSource, LeaderLockKey);
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                if (await lease.TryAcquireOrConfirmAsync(stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Watching must never stop the worker (a failed BackgroundService stops its host): log and try again next tick.
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<AlertPassReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var signals = new List<Domain.Alerting.AlertSignal>();
        signals.AddRange(await queues.ProbeAsync(cancellationToken));
        signals.AddRange(await pipeline.ProbeAsync(cancellationToken));
        var report = await evaluator.EvaluateAsync(signals, cancellationToken);
        if (report.Any)
        {
            LogReport(signals.Count, report.Fired, report.Reminded, report.Resolved, report.Notifications);
        }
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerting: {Conditions} conditions hold; {Fired} episodes fired, {Reminded} reminded, {Resolved} resolved; {Notifications} notifications queued")]
    private partial void LogReport(int conditions, int fired, int reminded, int resolved, int notifications);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert evaluation failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
