using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.Queues;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>The message transport: depth and age of the oldest ready message per queue, against <see cref="ReadinessOptions"/>.</summary>
public sealed class TransportHealthCheck(QueueStatistics queues, IOptionsMonitor<ReadinessOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<QueueStatus> statuses;
        try
        {
            statuses = await queues.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Threshold.Unknown("the queues", e);
        }
        var settings = options.CurrentValue;
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var queue in statuses)
        {
            var age = Threshold.Of(queue.OldestReadyAgeSeconds, settings.QueueOldestDegradedSeconds, settings.QueueOldestUnhealthySeconds);
            if (age != HealthStatus.Healthy)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{queue.Queue}: oldest ready message waited {queue.OldestReadyAgeSeconds:0} s (Degraded from {settings.QueueOldestDegradedSeconds} s)"));
            }
            var depth = Threshold.Of(queue.Depth, settings.QueueDepthDegraded, 0);
            if (depth != HealthStatus.Healthy)
            {
                reasons.Add($"{queue.Queue}: {queue.Depth} messages (Degraded from {settings.QueueDepthDegraded})");
            }
            status = Threshold.Worst(status, Threshold.Worst(age, depth));
            data[queue.Queue] = new
            {
                depth = queue.Depth, ready = queue.Ready, inFlight = queue.InFlight, scheduled = queue.Scheduled,
                oldestAgeSeconds = Math.Round(queue.OldestReadyAgeSeconds, 1), deadLetters = queue.DeadLetters,
            };
        }
        return new HealthCheckResult(status, reasons.Count > 0 ? string.Join("; ", reasons) : null, data: data);
    }
}
