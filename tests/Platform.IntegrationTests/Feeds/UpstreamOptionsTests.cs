using Microsoft.Extensions.Options;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>Upstream settings: PLATFORM §11 defaults, and a bad value stops the host naming the setting.</summary>
public sealed class UpstreamOptionsTests
{
    [Fact]
    public void Defaults_are_those_of_the_specification()
    {
        var options = new UpstreamOptions();

        (options.AttemptTimeoutSeconds, options.RetryCount, options.RetryBaseDelaySeconds, options.RetryMaxDelaySeconds, options.RetryJitterMilliseconds)
            .ShouldBe((45, 5, 1, 20, 300));
        (options.CircuitMinimumThroughput, options.CircuitSamplingSeconds, options.CircuitBreakSeconds, options.RateLimitMaxWaitSeconds)
            .ShouldBe((5, 10, 30, 30));
        new UpstreamOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Upstream:AttemptTimeoutSeconds", "0", "Upstream:AttemptTimeoutSeconds must be between 0.01 and 600 (was 0).")]
    [InlineData("Upstream:RetryCount", "-1", "Upstream:RetryCount must be between 0 and 20 (was -1).")]
    [InlineData("Upstream:RetryMaxDelaySeconds", "0.001", "Upstream:RetryMaxDelaySeconds must be between Upstream:RetryBaseDelaySeconds and 3600 (was 0.001).")]
    [InlineData("Upstream:CircuitFailureRatio", "1.5", "Upstream:CircuitFailureRatio must be greater than 0 and at most 1 (was 1.5).")]
    [InlineData("Upstream:CircuitBreakSeconds", "0.1", "Upstream:CircuitBreakSeconds must be between 0.5 and 3600 (was 0.1).")]
    [InlineData("Upstream:CircuitMinimumThroughput", "1", "Upstream:CircuitMinimumThroughput must be between 2 and 1000 (was 1).")]
    public void A_bad_setting_stops_the_start_with_a_message_naming_it(string key, string value, string message)
    {
        var failure = Should.Throw<OptionsValidationException>(
            () => FeedTestHost.Start(() => new HttpClientHandler(), new Dictionary<string, string?> { [key] = value }));

        failure.Failures.ShouldContain(message);
    }
}
