using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Feeds.Resilience;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// The upstream circuit breakers of this process, per feed: an open or half-open breaker is Degraded (that supplier is
/// being shed, the rest of the service works); open longer than <see cref="ReadinessOptions.CircuitOpenUnhealthyMinutes"/>
/// is Unhealthy when that is set. A process without feed adapters (no upstream calls) is Healthy.
/// </summary>
public sealed class UpstreamCircuitsHealthCheck(IServiceProvider services, TimeProvider time, IOptionsMonitor<ReadinessOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IUpstreamCircuitMonitor>() is not { } monitor)
        {
            return Task.FromResult(HealthCheckResult.Healthy("This process makes no upstream calls."));
        }
        var now = time.GetUtcNow();
        var unhealthyAfter = options.CurrentValue.CircuitOpenUnhealthyMinutes;
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var (feedId, circuit) in monitor.Snapshot().OrderBy(pair => pair.Key))
        {
            var minutes = (now - circuit.ChangedAt).TotalMinutes;
            data[feedId.ToString()] = new { state = circuit.State.ToString(), since = circuit.ChangedAt, minutes = Math.Round(minutes, 1) };
            if (circuit.State == UpstreamCircuitState.Closed)
            {
                continue;
            }
            var feedStatus = circuit.State == UpstreamCircuitState.Open && unhealthyAfter > 0 && minutes >= unhealthyAfter
                ? HealthStatus.Unhealthy : HealthStatus.Degraded;
            status = Threshold.Worst(status, feedStatus);
            reasons.Add($"feed {feedId}: circuit {circuit.State} for {minutes:0.#} min");
        }
        return Task.FromResult(new HealthCheckResult(status, reasons.Count > 0 ? string.Join("; ", reasons) : null, data: data));
    }
}
