using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>Errors recorded in <c>error_log</c> by every service within the last <see cref="ReadinessOptions.ErrorWindowMinutes"/>.</summary>
public sealed class ErrorRateHealthCheck(ErrorLogQueries errors, TimeProvider time, IOptionsMonitor<ReadinessOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        long count;
        try
        {
            count = await errors.CountSinceAsync(time.GetUtcNow().AddMinutes(-settings.ErrorWindowMinutes), cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Threshold.Unknown("the error log", e);
        }
        var status = Threshold.Of(count, settings.ErrorsDegraded, settings.ErrorsUnhealthy);
        var data = new Dictionary<string, object> { ["errors"] = count, ["windowMinutes"] = settings.ErrorWindowMinutes };
        var description = status == HealthStatus.Healthy ? null
            : $"{count} errors in the last {settings.ErrorWindowMinutes} min (Degraded from {settings.ErrorsDegraded}"
              + (settings.ErrorsUnhealthy > 0 ? $", Unhealthy from {settings.ErrorsUnhealthy})" : ")");
        return new HealthCheckResult(status, description, data: data);
    }
}
