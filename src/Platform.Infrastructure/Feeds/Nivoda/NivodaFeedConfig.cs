using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// A Nivoda feed's config: <c>{"endpoint": "https://…/api/diamonds", "username": "…"}</c>. The password is never in
/// config: it is the feed's stored (encrypted) credentials, or else the secret named by its <c>secret_ref</c>, resolved
/// when the adapter authenticates.
/// </summary>
internal sealed record NivodaFeedConfig(Uri Endpoint, string Username, string? SecretRef)
{
    public static NivodaFeedConfig Parse(FeedDefinition feed)
    {
        using var config = FeedConfigJson.Parse(feed);
        var endpoint = config.RequiredHttpUrl("endpoint", "https://integrations.nivoda.net/api/diamonds", asBase: false);
        var username = config.RequiredString("username");
        return new NivodaFeedConfig(endpoint, username, feed.SecretRef);
    }
}
