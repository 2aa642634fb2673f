using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>Where a figure stands against a Degraded and an Unhealthy threshold (0: that threshold is off).</summary>
internal static class Threshold
{
    public static HealthStatus Of(double value, double degraded, double unhealthy) =>
        unhealthy > 0 && value >= unhealthy ? HealthStatus.Unhealthy
        : degraded > 0 && value >= degraded ? HealthStatus.Degraded
        : HealthStatus.Healthy;

    public static HealthStatus Worst(HealthStatus a, HealthStatus b) => a < b ? a : b;
}
