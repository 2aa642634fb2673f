using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>A simulator feed's config: <c>{"baseUrl": "http://127.0.0.1:5090", "apiToken": null}</c>; the token is sent as a Bearer token when set.</summary>
internal sealed record SimulatorFeedConfig(Uri BaseUrl, string? ApiToken)
{
    public static SimulatorFeedConfig Parse(FeedDefinition feed)
    {
        using var config = FeedConfigJson.Parse(feed);
        return new SimulatorFeedConfig(config.RequiredHttpUrl("baseUrl", "http://127.0.0.1:5090", asBase: true), config.OptionalString("apiToken"));
    }
}
