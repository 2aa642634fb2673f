using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>
/// The maintenance role's error-log retention: deletes rows older than <see cref="ErrorLogOptions.RetentionDays"/> in
/// batches. Every maintenance replica may run it; deleting the same old rows twice is harmless, so no leader is needed.
/// </summary>
public sealed partial class ErrorLogPruner(
    NpgsqlDataSource dataSource, IOptions<ErrorLogOptions> options, TimeProvider time, ILogger<ErrorLogPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PruneIntervalMinutes), time);
        do
        {
            try
            {
                var deleted = await PruneAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(deleted, options.Value.RetentionDays);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes every row older than the retention; returns how many.</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays).UtcDateTime;
        long total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM error_log WHERE id IN (SELECT id FROM error_log WHERE occurred_at < @cutoff LIMIT @batch)
                """, new { cutoff, batch = options.Value.PruneBatchSize }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == options.Value.PruneBatchSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Deleted} error_log row(s) older than {RetentionDays} days")]
    private partial void LogPruned(long deleted, int retentionDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning error_log failed; the next interval tries again")]
    private partial void LogFailed(Exception exception);
}
