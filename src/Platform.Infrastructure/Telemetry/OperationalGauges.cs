using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Operations.Health;
using Platform.Infrastructure.Operations.Queues;

namespace Platform.Infrastructure.Telemetry;

/// <summary>
/// Database-wide gauges: per queue its depth (ready, in flight, scheduled), the age of its oldest ready message and its
/// dead letters (meter <c>Platform.Messaging</c>), and the runs holding capacity by phase (meter <c>Platform.Pipeline</c>).
/// One sample every <see cref="TelemetryOptions.GaugeRefreshSeconds"/> in the background: the queue figures the admin
/// views read too (<see cref="QueueStatistics"/>), then the runs and recent errors in one round trip; the observable
/// instruments report the last sample. Known queues report zeros, so their series exist before the first message. The same sample, with the recent error count, is what readiness and the status summary
/// read (<see cref="IOperationalSnapshots"/>): no probe or scrape queries the database for these figures.
/// </summary>
public sealed partial class OperationalGauges : BackgroundService, IOperationalSnapshots
{
    private static readonly string[] ActivePhases = ["queued", "scanning", "running", "consolidating"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly QueueStatistics _queues;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ReadinessOptions> _readiness;
    private readonly ILogger<OperationalGauges> _logger;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Sample _last = Sample.Empty;
    private long _samples;

    public OperationalGauges(
        NpgsqlDataSource dataSource, QueueStatistics queues, IMeterFactory meters, IOptions<TelemetryOptions> options, IOptionsMonitor<ReadinessOptions> readiness,
        TimeProvider time, ILogger<OperationalGauges> logger)
    {
        _dataSource = dataSource;
        _queues = queues;
        _interval = TimeSpan.FromSeconds(options.Value.GaugeRefreshSeconds);
        _readiness = readiness;
        _time = time;
        _logger = logger;
        var messaging = meters.Create(MessagingTelemetry.Name);
        messaging.CreateObservableGauge<long>("platform.messaging.queue.depth", () => _last.Depth, "{message}",
            "Messages in a queue, by queue and state (ready, in_flight, scheduled).");
        messaging.CreateObservableGauge<double>("platform.messaging.queue.oldest_age", () => _last.OldestAge, "s",
            "How long the oldest ready message of a queue has been waiting for a consumer (0 when none waits).");
        messaging.CreateObservableGauge<long>("platform.messaging.dead_letters", () => _last.DeadLetters, "{message}",
            "Dead letters not yet replayed, by queue.");
        var pipeline = meters.Create(PipelineTelemetry.Name);
        pipeline.CreateObservableGauge<long>("platform.pipeline.runs.active", () => _last.ActiveRuns, "{run}",
            "Runs holding capacity across all organizations, by phase (queued, scanning, running, consolidating).");
    }

    public OperationalSnapshot? Latest => _last.Snapshot;

    public TimeSpan Interval => _interval;

    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>Samples taken successfully since the start (tests check that readiness calls add none).</summary>
    public long SamplesTaken => Interlocked.Read(ref _samples);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            try
            {
                _last = await SampleAsync(stoppingToken);
                Interlocked.Increment(ref _samples);
            }
            catch (Exception e) when ((e is NpgsqlException or TimeoutException) && !stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last values; readiness reports the sample's age (stale) and the database itself.
                LogSampleFailed(e);
            }
            _firstAttempt.TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        var errorWindow = _readiness.CurrentValue.ErrorWindowMinutes;
        var sampledAt = _time.GetUtcNow();
        var statuses = await _queues.ReadAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT phase AS "Phase", count(*)::bigint AS "Count" FROM pipeline_runs
            WHERE phase IN ('queued', 'scanning', 'running', 'consolidating') GROUP BY phase;
            SELECT count(*)::bigint FROM error_log WHERE occurred_at >= @errorsSince;
            """, new { errorsSince = sampledAt.AddMinutes(-errorWindow).UtcDateTime }, cancellationToken: cancellationToken));
        var runs = (await results.ReadAsync<(string Phase, long Count)>()).ToDictionary(r => r.Phase, r => r.Count);
        var errors = await results.ReadSingleAsync<long>();

        var depth = new List<Measurement<long>>(statuses.Count * 3);
        foreach (var status in statuses)
        {
            var queue = MessagingTelemetry.Queue(status.Queue);
            depth.Add(new(status.Ready, queue, new("state", "ready")));
            depth.Add(new(status.InFlight, queue, new("state", "in_flight")));
            depth.Add(new(status.Scheduled, queue, new("state", "scheduled")));
        }
        return new Sample(
            depth,
            statuses.Select(status => new Measurement<double>(status.OldestReadyAgeSeconds, MessagingTelemetry.Queue(status.Queue))).ToList(),
            statuses.Select(status => new Measurement<long>(status.DeadLetters, MessagingTelemetry.Queue(status.Queue))).ToList(),
            ActivePhases.Select(phase => new Measurement<long>(runs.GetValueOrDefault(phase), new KeyValuePair<string, object?>("phase", phase))).ToList(),
            new OperationalSnapshot(sampledAt, statuses, errors, errorWindow));
    }

    private sealed record Sample(
        IReadOnlyList<Measurement<long>> Depth, IReadOnlyList<Measurement<double>> OldestAge,
        IReadOnlyList<Measurement<long>> DeadLetters, IReadOnlyList<Measurement<long>> ActiveRuns, OperationalSnapshot? Snapshot)
    {
        public static readonly Sample Empty = new([], [], [], [], null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the queue and run gauges failed; they keep their last values")]
    private partial void LogSampleFailed(Exception exception);
}
