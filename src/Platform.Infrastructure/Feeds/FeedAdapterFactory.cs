using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Nivoda;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Feeds.Simulator;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds;

/// <summary>
/// Builds the adapter named by <c>feeds.adapter</c>. Adapters are cheap (they hold the parsed config); what is costly
/// or stateful (HTTP handlers, resilience pipelines, session tokens) lives in singletons keyed by feed id.
/// </summary>
public sealed class FeedAdapterFactory : IFeedAdapterFactory
{
    public static readonly IReadOnlyList<string> KnownKinds = [SimulatorFeedAdapter.AdapterKind, NivodaFeedAdapter.AdapterKind];

    private readonly IHttpClientFactory clients;
    private readonly UpstreamGateway gateway;
    private readonly TimeProvider timeProvider;
    private readonly NivodaAdapterServices nivoda;
    private readonly IFeedSecretResolver secrets;

    internal FeedAdapterFactory(
        IHttpClientFactory clients,
        UpstreamGateway gateway,
        NivodaTokenCache tokens,
        IFeedSecretResolver secrets,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        this.clients = clients;
        this.gateway = gateway;
        this.timeProvider = timeProvider;
        this.secrets = secrets;
        nivoda = new NivodaAdapterServices(
            clients, gateway, tokens, secrets, timeProvider, loggerFactory.CreateLogger<NivodaFeedAdapter>());
    }

    /// <exception cref="FeedConfigurationException">Unknown adapter kind, or config its kind cannot use (the message names the feed and the field).</exception>
    public IFeedAdapter Create(FeedDefinition feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return feed.Adapter switch
        {
            SimulatorFeedAdapter.AdapterKind => new SimulatorFeedAdapter(feed, SimulatorFeedConfig.Parse(feed), clients, gateway, timeProvider, secrets),
            NivodaFeedAdapter.AdapterKind => new NivodaFeedAdapter(feed, NivodaFeedConfig.Parse(feed), nivoda),
            _ => throw new FeedConfigurationException(
                feed.Id, $"unknown adapter kind '{feed.Adapter}'; known kinds are {string.Join(", ", KnownKinds)}."),
        };
    }
}
