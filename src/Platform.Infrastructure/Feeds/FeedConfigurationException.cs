namespace Platform.Infrastructure.Feeds;

/// <summary>
/// A feed row that cannot become an adapter: unknown adapter kind, config that is not the JSON its kind expects,
/// or a missing secret. The message names the feed id and the field, never a secret's value.
/// </summary>
public sealed class FeedConfigurationException(Guid feedId, string problem, Exception? innerException = null)
    : Exception($"Feed {feedId}: {problem}", innerException)
{
    public Guid FeedId { get; } = feedId;
}
