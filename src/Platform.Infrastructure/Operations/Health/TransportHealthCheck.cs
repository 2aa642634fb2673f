using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// The message transport: depth and age of the oldest ready message per queue, against <see cref="ReadinessOptions"/>,
/// from the background sample (<see cref="IOperationalSnapshots"/>): a probe never queries the queues itself.
/// </summary>
public sealed class TransportHealthCheck(IOperationalSnapshots samples, TimeProvider time, IOptionsMonitor<ReadinessOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (sample, instead) = await SampledFigures.ReadAsync(samples, time, options.CurrentValue, "the queues", cancellationToken);
        if (sample is null)
        {
            return instead!.Value;
        }
        var statuses = sample.Queues;
        var settings = options.CurrentValue;
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        var data = new Dictionary<string, object> { ["sampleAgeSeconds"] = SampledFigures.AgeSeconds(sample, time) };
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
