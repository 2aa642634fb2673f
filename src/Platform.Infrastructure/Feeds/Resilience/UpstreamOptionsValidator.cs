using System.Globalization;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>
/// Checks <see cref="UpstreamOptions"/> at start, naming the setting. The lower bounds of the breaker's times are
/// Polly's own (0.5 s), so a bad value stops the host instead of failing the first upstream call.
/// </summary>
public sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        var failures = new List<string>();
        Check(failures, "AttemptTimeoutSeconds", options.AttemptTimeoutSeconds, 0.01, 600);
        if (options.RetryCount is < 0 or > 20)
        {
            failures.Add($"{UpstreamOptions.SectionName}:RetryCount must be between 0 and 20 (was {options.RetryCount}).");
        }
        Check(failures, "RetryBaseDelaySeconds", options.RetryBaseDelaySeconds, 0, 600);
        Check(failures, "RetryMaxDelaySeconds", options.RetryMaxDelaySeconds, options.RetryBaseDelaySeconds, 3600,
            $"{UpstreamOptions.SectionName}:RetryBaseDelaySeconds");
        Check(failures, "RetryJitterMilliseconds", options.RetryJitterMilliseconds, 0, 60_000);
        Check(failures, "RetryAfterMaxSeconds", options.RetryAfterMaxSeconds, 0, 3600);
        if (options.CircuitMinimumThroughput is < 2 or > 1000)
        {
            failures.Add($"{UpstreamOptions.SectionName}:CircuitMinimumThroughput must be between 2 and 1000 (was {options.CircuitMinimumThroughput}).");
        }
        if (!(options.CircuitFailureRatio > 0 && options.CircuitFailureRatio <= 1))
        {
            failures.Add($"{UpstreamOptions.SectionName}:CircuitFailureRatio must be greater than 0 and at most 1 (was {options.CircuitFailureRatio}).");
        }
        Check(failures, "CircuitSamplingSeconds", options.CircuitSamplingSeconds, 0.5, 3600);
        Check(failures, "CircuitBreakSeconds", options.CircuitBreakSeconds, 0.5, 3600);
        Check(failures, "RateLimitMaxWaitSeconds", options.RateLimitMaxWaitSeconds, 0, 600);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, double value, double min, double max, string? minName = null)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            failures.Add($"{UpstreamOptions.SectionName}:{key} must be between {minName ?? min.ToString(CultureInfo.InvariantCulture)} and {max} (was {value}).");
        }
    }
}
