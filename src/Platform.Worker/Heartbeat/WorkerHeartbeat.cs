using System.Text.Json;
using Platform.Worker.Roles;
using StackExchange.Redis;

namespace Platform.Worker.Heartbeat;

/// <summary>
/// Announces this worker in Redis (<c>platform:workers:{instance}</c>, expiring after three missed beats) so
/// operators and the maintenance role can tell live workers from dead ones. Redis being away only delays it.
/// </summary>
public sealed partial class WorkerHeartbeat(
    IConnectionMultiplexer redis, ActiveWorkerRoles roles, TimeProvider time, IOptions<HeartbeatOptions> options, ILogger<WorkerHeartbeat> logger)
    : BackgroundService
{
    /// <summary>Shared with the alert monitor, which counts live workers per role.</summary>
    public const string KeyPrefix = Platform.Infrastructure.Alerting.Monitors.WorkerHeartbeats.KeyPrefix;

    public static string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        var startedAt = time.GetUtcNow();
        var failing = false;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var beat = JsonSerializer.Serialize(new { instance = InstanceId, roles = roles.Names, startedAt, beatAt = time.GetUtcNow() });
                await redis.GetDatabase().StringSetAsync(KeyPrefix + InstanceId, beat, interval * 3);
                if (failing)
                {
                    LogRecovered();
                    failing = false;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (!failing)
                {
                    LogFailing(e);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker heartbeat cannot reach Redis; retrying every interval")]
    private partial void LogFailing(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker heartbeat reaches Redis again")]
    private partial void LogRecovered();
}

/// <summary>Section <c>Worker:Heartbeat</c>.</summary>
public sealed class HeartbeatOptions
{
    public const string SectionName = "Worker:Heartbeat";

    [System.ComponentModel.DataAnnotations.Range(1, 300)]
    public int IntervalSeconds { get; set; } = 10;
}

public static class HeartbeatExtensions
{
    public static IServiceCollection AddWorkerHeartbeat(this IServiceCollection services)
    {
        services.AddOptions<HeartbeatOptions>().BindConfiguration(HeartbeatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<WorkerHeartbeat>();
        return services;
    }
}
