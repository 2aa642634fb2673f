using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// The checks that judge database-wide figures (transport, errors) read the background sample, never the database
/// (ADR 0033). A sample older than <see cref="ReadinessOptions.SampleStaleRefreshes"/> refresh periods is reported as
/// Degraded "stale sample" rather than judged as if current: sampling fails, and the figures may be anything by now.
/// </summary>
internal static class SampledFigures
{
    /// <summary>How long a check waits for the process's first sample right after the start.</summary>
    private static readonly TimeSpan FirstSampleWait = TimeSpan.FromSeconds(2);

    /// <summary>The latest sample and its age; or, when there is none or it is stale, the Degraded result to answer instead.</summary>
    public static async Task<(OperationalSnapshot? Sample, HealthCheckResult? Instead)> ReadAsync(
        IOperationalSnapshots samples, TimeProvider time, ReadinessOptions settings, string what, CancellationToken cancellationToken)
    {
        if (samples.Latest is null)
        {
            try
            {
                await samples.FirstAttempt.WaitAsync(FirstSampleWait, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Answered below: no sample yet.
            }
        }
        if (samples.Latest is not { } sample)
        {
            return (null, HealthCheckResult.Degraded($"No sample of {what} yet (sampled every {samples.Interval.TotalSeconds:0} s)."));
        }
        var age = time.GetUtcNow() - sample.SampledAt;
        if (age > samples.Interval * settings.SampleStaleRefreshes)
        {
            var data = new Dictionary<string, object> { ["sampledAt"] = sample.SampledAt, ["sampleAgeSeconds"] = Math.Round(age.TotalSeconds, 1) };
            return (null, HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"Stale sample: {what} last sampled {age.TotalSeconds:0} s ago (every {samples.Interval.TotalSeconds:0} s expected); sampling is failing."), data: data));
        }
        return (sample, null);
    }

    /// <summary>The sample's age, added to every answer so operators see how old the figures are.</summary>
    public static double AgeSeconds(OperationalSnapshot sample, TimeProvider time) =>
        Math.Round(Math.Max(0, (time.GetUtcNow() - sample.SampledAt).TotalSeconds), 1);
}
