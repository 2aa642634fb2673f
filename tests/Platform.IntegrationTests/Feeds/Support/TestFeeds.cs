using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.RateLimiting;

namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>Feed definitions as the feeds table would hold them.</summary>
public static class TestFeeds
{
    public const string NivodaEndpoint = "https://nivoda.test/api/diamonds";
    public const string NivodaSecretRef = "nivoda-test";
    public const string NivodaPassword = "s3cret-passw0rd";

    /// <summary>A whole catalogue window: every price, every update time.</summary>
    public static readonly FeedQuery Everything = new(0, 250_000, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static FeedDefinition Simulator(string? apiToken = null, decimal rps = UpstreamRateLimit.Unlimited, Guid? id = null) => new(
        id ?? Guid.NewGuid(), Guid.NewGuid(), "simulator",
        apiToken is null ? $$"""{"baseUrl": "{{SimulatorServer.BaseUrl}}"}""" : $$"""{"baseUrl": "{{SimulatorServer.BaseUrl}}", "apiToken": "{{apiToken}}"}""",
        null, 30, 50, rps);

    public static FeedDefinition Nivoda(decimal rps = UpstreamRateLimit.Unlimited, string? secretRef = NivodaSecretRef) => new(
        Guid.NewGuid(), Guid.NewGuid(), "nivoda-graphql",
        $$"""{"endpoint": "{{NivodaEndpoint}}", "username": "api-user@example.com"}""",
        secretRef, 30, 50, rps);
}
