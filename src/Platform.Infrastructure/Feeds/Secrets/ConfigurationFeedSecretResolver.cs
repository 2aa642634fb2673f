using Microsoft.Extensions.Configuration;

namespace Platform.Infrastructure.Feeds.Secrets;

/// <summary>
/// Reads secrets from configuration key <c>FeedSecrets:{secretRef}</c> (user secrets, environment variables such
/// as <c>FeedSecrets__nivoda-main</c>, or a mounted secret file). A Key Vault resolver replaces this one in Azure.
/// </summary>
public sealed class ConfigurationFeedSecretResolver(IConfiguration configuration) : IFeedSecretResolver
{
    public const string SectionName = "FeedSecrets";

    public ValueTask<string> ResolveAsync(Guid feedId, string? secretRef, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(secretRef)
            ? throw new FeedConfigurationException(feedId, "the feed has no credentials: set them with PATCH /api/v1/feeds/{id} or name a configured secret in secretRef.")
            : configuration[$"{SectionName}:{secretRef}"] is { Length: > 0 } secret
                ? ValueTask.FromResult(secret)
                : throw new FeedConfigurationException(feedId, $"secret '{secretRef}' is not configured (expected configuration key {SectionName}:{secretRef}).");
}
