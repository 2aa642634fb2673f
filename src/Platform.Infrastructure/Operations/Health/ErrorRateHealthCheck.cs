using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// Errors recorded in <c>error_log</c> by every service within the last <see cref="ReadinessOptions.ErrorWindowMinutes"/>,
/// counted by the background sample (<see cref="IOperationalSnapshots"/>), not per probe.
/// </summary>
public sealed class ErrorRateHealthCheck(IOperationalSnapshots samples, TimeProvider time, IOptionsMonitor<ReadinessOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var (sample, instead) = await SampledFigures.ReadAsync(samples, time, settings, "the error log", cancellationToken);
        if (sample is null)
        {
            return instead!.Value;
        }
        var count = sample.RecentErrors;
        var window = sample.ErrorWindowMinutes;
        var status = Threshold.Of(count, settings.ErrorsDegraded, settings.ErrorsUnhealthy);
        var data = new Dictionary<string, object>
        {
            ["errors"] = count, ["windowMinutes"] = window, ["sampleAgeSeconds"] = SampledFigures.AgeSeconds(sample, time),
        };
        var description = status == HealthStatus.Healthy ? null
            : $"{count} errors in the last {window} min (Degraded from {settings.ErrorsDegraded}"
              + (settings.ErrorsUnhealthy > 0 ? $", Unhealthy from {settings.ErrorsUnhealthy})" : ")");
        return new HealthCheckResult(status, description, data: data);
    }
}
