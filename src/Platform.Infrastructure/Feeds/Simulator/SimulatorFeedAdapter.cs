using System.Net.Http.Headers;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>
/// The adapter of <c>Platform.FeedSimulator</c>'s REST API (<c>/api/v1/diamonds/count</c> and <c>/api/v1/diamonds</c>),
/// used for local runs, tests and benchmarks. Every call goes through the feed's rate limit and resilience pipeline.
/// </summary>
public sealed class SimulatorFeedAdapter : IFeedAdapter
{
    public const string AdapterKind = "simulator";
    public const int PageSizeLimit = 50;
    public const int StandardPageSize = 30;

    private readonly FeedDefinition feed;
    private readonly SimulatorFeedConfig config;
    private readonly IHttpClientFactory clients;
    private readonly UpstreamGateway gateway;
    private readonly TimeProvider timeProvider;

    internal SimulatorFeedAdapter(
        FeedDefinition feed, SimulatorFeedConfig config, IHttpClientFactory clients, UpstreamGateway gateway, TimeProvider timeProvider)
    {
        this.feed = feed;
        this.config = config;
        this.clients = clients;
        this.gateway = gateway;
        this.timeProvider = timeProvider;
    }

    public string Kind => AdapterKind;

    public int MaxPageSize => PageSizeLimit;

    public int DefaultPageSize => StandardPageSize;

    public Task<long> CountAsync(FeedQuery query, CancellationToken cancellationToken) =>
        gateway.SendAsync(Call(UpstreamOperation.Count), async token =>
        {
            using var response = await GetAsync(SimulatorRequests.Count(config.BaseUrl, query), "Simulator count", token);
            return await SimulatorResponses.ReadCountAsync(response, token);
        }, cancellationToken);

    public Task<FeedPage> SearchAsync(FeedQuery query, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, PageSizeLimit);
        return gateway.SendAsync(Call(UpstreamOperation.Search, offset, limit), async token =>
        {
            using var response = await GetAsync(SimulatorRequests.Search(config.BaseUrl, query, offset, limit), "Simulator search", token);
            return await SimulatorResponses.ReadPageAsync(response, token);
        }, cancellationToken);
    }

    public DiamondDraft Map(RawStone stone) => SimulatorStoneMapper.Map(stone);

    private async Task<HttpResponseMessage> GetAsync(Uri uri, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (config.ApiToken is { } apiToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        }
        return await UpstreamHttp.SendAsync(clients.CreateClient(UpstreamHttp.ClientName), request, what, timeProvider, cancellationToken);
    }

    private UpstreamCall Call(string operation, int? offset = null, int? limit = null) =>
        new(feed.Id, AdapterKind, feed.UpstreamRps, operation, offset, limit);
}
