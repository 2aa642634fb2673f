using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Security;

namespace Platform.Infrastructure.Feeds.Secrets;

/// <summary>
/// A feed that names a <c>secret_ref</c> (set by the operator) gets that configured secret from <paramref name="fallback"/>
/// without touching the database; any other feed gets its credentials stored encrypted in <c>feeds.credentials</c>
/// (written through the feeds API, which clears <c>secret_ref</c>). The protector is resolved on first use, so
/// containers that never meet a stored secret (tests of the upstream machinery) need no key.
/// </summary>
public sealed class StoredFeedSecretResolver(NpgsqlDataSource dataSource, IServiceProvider services, IFeedSecretResolver fallback) : IFeedSecretResolver
{
    /// <summary>The associated data of a feed's credentials: they decrypt only on the row they were written for.</summary>
    public static string Purpose(Guid feedId) => $"feeds.credentials:{feedId}";

    public async ValueTask<string> ResolveAsync(Guid feedId, string? secretRef, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(secretRef))
        {
            return await fallback.ResolveAsync(feedId, secretRef, cancellationToken);
        }
        byte[]? stored;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            stored = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
                "SELECT credentials FROM feeds WHERE id = @feedId", new { feedId }, cancellationToken: cancellationToken));
        }
        if (stored is null)
        {
            throw new FeedConfigurationException(feedId, "the feed has no credentials: set them with PATCH /api/v1/feeds/{id} (field 'credentials').");
        }
        try
        {
            return services.GetRequiredService<SecretProtector>().Unprotect(stored, Purpose(feedId));
        }
        catch (SecretUnavailableException unavailable)
        {
            throw new FeedConfigurationException(feedId, $"its stored credentials cannot be read: {unavailable.Message}");
        }
    }
}
