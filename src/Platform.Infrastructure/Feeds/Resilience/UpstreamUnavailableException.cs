using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>
/// The feed's circuit breaker is open: its supplier failed repeatedly and calls are refused without being sent
/// until the break ends. Transient: the page is retried later, after the supplier has had time to recover.
/// </summary>
public sealed class UpstreamUnavailableException(Guid feedId, TimeSpan? retryAfter, Exception innerException)
    : UpstreamException(
        $"Feed {feedId}: the supplier failed repeatedly and its circuit is open; calls fail fast" +
        (retryAfter is { } wait ? $" for about {wait.TotalSeconds:0.#} s more." : "."),
        innerException)
{
    public Guid FeedId { get; } = feedId;

    /// <summary>How long the breaker stays open, when Polly knows it.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsTransient => true;
}
