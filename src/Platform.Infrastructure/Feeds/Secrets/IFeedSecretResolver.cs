namespace Platform.Infrastructure.Feeds.Secrets;

/// <summary>
/// A feed's secret (e.g. a supplier password): the value configuration holds under the feed's <c>secret_ref</c> when the
/// operator set one, otherwise the credentials stored encrypted on the feed (<c>feeds.credentials</c>, feeds API).
/// </summary>
public interface IFeedSecretResolver
{
    /// <exception cref="FeedConfigurationException">The feed has no credentials and nothing is configured under <paramref name="secretRef"/>.</exception>
    ValueTask<string> ResolveAsync(Guid feedId, string? secretRef, CancellationToken cancellationToken);
}
