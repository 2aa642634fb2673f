using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>
/// A simulator feed's config: <c>{"baseUrl": "http://127.0.0.1:5090", "authentication": "bearer"}</c>. With
/// <c>authentication: bearer</c> the feed's secret (its stored, encrypted <c>credentials</c>, or the configured
/// <c>secret_ref</c>) is sent as a Bearer token; <c>none</c> (the default) sends nothing. <c>apiToken</c> in config is the
/// older inline form (operator-written feeds and tests; the feeds API refuses secret-like config keys).
/// </summary>
internal sealed record SimulatorFeedConfig(Uri BaseUrl, string? ApiToken, bool BearerFromSecret)
{
    public const string NoAuthentication = "none";
    public const string Bearer = "bearer";

    public static SimulatorFeedConfig Parse(FeedDefinition feed)
    {
        using var config = FeedConfigJson.Parse(feed);
        return new SimulatorFeedConfig(
            config.RequiredHttpUrl("baseUrl", "http://127.0.0.1:5090", asBase: true), config.OptionalString("apiToken"),
            config.OneOf("authentication", NoAuthentication, Bearer) == Bearer);
    }
}
