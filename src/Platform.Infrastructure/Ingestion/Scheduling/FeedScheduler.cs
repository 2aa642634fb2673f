using System.Diagnostics;
using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Ingestion.Scheduling;

/// <summary>
/// The scheduler role's clock (PLATFORM §2): while it holds the leader lease, starts a run for every enabled feed
/// whose cron occurrence has come. Each occurrence is claimed with a compare-and-set on
/// <c>feeds.last_scheduled_at</c> before the run starts, so it fires at most once.
/// </summary>
public sealed partial class FeedScheduler(
    NpgsqlDataSource dataSource, RunTrigger trigger, TimeProvider time, IOptions<SchedulerOptions> options, IErrorLog errors, ILogger<FeedScheduler> logger)
    : BackgroundService
{
    /// <summary>"Schedule" in ASCII: the advisory lock of the scheduler leader.</summary>
    public const long LeaderLockKey = 0x5363686564756C65;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = new LeaderLease(dataSource, LeaderLockKey);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        do
        {
            try
            {
                var wasLeader = lease.IsHeld;
                if (await lease.TryAcquireOrConfirmAsync(stoppingToken))
                {
                    if (!wasLeader)
                    {
                        LogLeading();
                    }
                    await FireDueAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(e);
                errors.Record(ErrorCategories.Scheduler, ErrorLogCodes.SchedulerFailed, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Starts the runs that are due now; returns how many started.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<ScheduledFeed> feeds;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            feeds = (await connection.QueryAsync<ScheduledFeed>(new CommandDefinition("""
                SELECT id AS "Id", org_id AS "OrgId", schedule_cron AS "Cron", last_scheduled_at AS "LastScheduledAt", created_at AS "CreatedAt"
                FROM feeds WHERE enabled AND schedule_cron IS NOT NULL
                """, cancellationToken: cancellationToken))).ToList();
        }
        var started = 0;
        foreach (var feed in feeds)
        {
            if (!CronExpression.TryParse(feed.Cron, out var cron))
            {
                LogInvalidCron(feed.Id, feed.Cron);
                continue;
            }
            var due = cron.GetNextOccurrence((feed.LastScheduledAt ?? feed.CreatedAt).UtcDateTime, TimeZoneInfo.Utc);
            if (due is null || due.Value > now.UtcDateTime || !await ClaimOccurrenceAsync(feed, due.Value, cancellationToken))
            {
                continue;
            }
            // A root span per scheduled run, so the run gets its own trace (its id is stored on the run) like an api start.
            using var span = PipelineTelemetry.Source.StartActivity("scheduled run", ActivityKind.Internal, parentContext: default);
            span?.SetTag("platform.feed.id", feed.Id.ToString());
            var result = await trigger.StartScheduledAsync(feed.OrgId, feed.Id, cancellationToken);
            span?.SetTag("platform.run.id", result.RunId?.ToString());
            if (result.Outcome is RunTriggerOutcome.Started or RunTriggerOutcome.Queued)
            {
                started++;
            }
            using (result.RunId is { } runId ? logger.BeginScope(LogScope.ForRun(feed.OrgId, runId)) : null)
            {
                LogFired(feed.Id, due.Value, result.Outcome);
            }
        }
        return started;
    }

    private async Task<bool> ClaimOccurrenceAsync(ScheduledFeed feed, DateTime occurrence, CancellationToken cancellationToken)
    {
        // A feed that missed many occurrences (scheduler down) catches up with one run, not one per occurrence.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE feeds SET last_scheduled_at = greatest(@occurrence, now() - interval '1 second')
            WHERE id = @Id AND last_scheduled_at IS NOT DISTINCT FROM @LastScheduledAt
            """, new { feed.Id, feed.LastScheduledAt, occurrence = new DateTimeOffset(occurrence, TimeSpan.Zero) }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed class ScheduledFeed
    {
        public Guid Id { get; init; }
        public Guid OrgId { get; init; }
        public string Cron { get; init; } = "";
        public DateTimeOffset? LastScheduledAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This process now leads the scheduler")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler tick failed; retrying at the next tick")]
    private partial void LogTickFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} has an invalid cron expression '{Cron}'; it is not scheduled")]
    private partial void LogInvalidCron(Guid feedId, string cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId}: cron occurrence {Occurrence:O} fired ({Outcome})")]
    private partial void LogFired(Guid feedId, DateTime occurrence, RunTriggerOutcome outcome);
}

/// <summary>Section <c>Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>How often the leader looks for due feeds (cron resolution is one minute).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int TickSeconds { get; set; } = 15;
}
