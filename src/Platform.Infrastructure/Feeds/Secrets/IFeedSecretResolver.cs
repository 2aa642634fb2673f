namespace Platform.Infrastructure.Feeds.Secrets;

/// <summary>
/// Turns a feed's <c>secret_ref</c> into the secret (e.g. a supplier password). The database only ever holds the
/// reference; the value lives in configuration today and in Azure Key Vault later, behind this same interface.
/// </summary>
public interface IFeedSecretResolver
{
    /// <exception cref="FeedConfigurationException">No secret is stored under <paramref name="secretRef"/>.</exception>
    ValueTask<string> ResolveAsync(Guid feedId, string secretRef, CancellationToken cancellationToken);
}
