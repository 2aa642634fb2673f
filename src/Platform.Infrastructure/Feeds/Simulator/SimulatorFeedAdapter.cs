using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>
/// The adapter of <c>Platform.FeedSimulator</c>'s REST API (<c>/api/v1/diamonds/count</c> and <c>/api/v1/diamonds</c>),
/// used for local runs, tests and benchmarks. Every call goes through the feed's rate limit and resilience pipeline.
/// </summary>
public sealed class SimulatorFeedAdapter : IFeedAdapter, IFeedReservations
{
    public const string AdapterKind = "simulator";
    public const int PageSizeLimit = 50;
    public const int StandardPageSize = 30;

    private readonly FeedDefinition feed;
    private readonly SimulatorFeedConfig config;
    private readonly IHttpClientFactory clients;
    private readonly UpstreamGateway gateway;
    private readonly TimeProvider timeProvider;
    private readonly IFeedSecretResolver secrets;
    private string? resolvedToken;

    internal SimulatorFeedAdapter(
        FeedDefinition feed, SimulatorFeedConfig config, IHttpClientFactory clients, UpstreamGateway gateway, TimeProvider timeProvider,
        IFeedSecretResolver secrets)
    {
        this.feed = feed;
        this.config = config;
        this.clients = clients;
        this.gateway = gateway;
        this.timeProvider = timeProvider;
        this.secrets = secrets;
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

    public Task<ReservationOutcome<SupplierHold>> PlaceHoldAsync(SupplierStone stone, CancellationToken cancellationToken) =>
        gateway.SendAsync(Call(UpstreamOperation.Hold) with { RetrySafe = false }, async token =>
        {
            using var response = await PostAsync(SimulatorRequests.Holds(config.BaseUrl), new { diamondId = stone.SupplierStoneId }, "Simulator hold", token);
            return response is null
                ? ReservationOutcome.Refused<SupplierHold>("The supplier reports the stone as not available.")
                : ReservationOutcome.Done(await SimulatorResponses.ReadHoldAsync(response, token));
        }, cancellationToken);

    public Task<ReservationOutcome<SupplierOrder>> PlaceOrderAsync(SupplierStone stone, string reference, CancellationToken cancellationToken) =>
        gateway.SendAsync(Call(UpstreamOperation.Order) with { RetrySafe = false }, async token =>
        {
            using var response = await PostAsync(
                SimulatorRequests.Orders(config.BaseUrl), new { diamondId = stone.SupplierStoneId, reference }, "Simulator order", token);
            return response is null
                ? ReservationOutcome.Refused<SupplierOrder>("The supplier reports the stone as sold or no longer listed.")
                : ReservationOutcome.Done(await SimulatorResponses.ReadOrderAsync(response, token));
        }, cancellationToken);

    private Task<HttpResponseMessage> GetAsync(Uri uri, string what, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), what, cancellationToken);

    /// <summary>The success response, or null when the supplier refused: 409 (held or sold) or 404 (no longer listed).</summary>
    private async Task<HttpResponseMessage?> PostAsync(Uri uri, object body, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) }, what, cancellationToken);
        }
        catch (UpstreamHttpException refused) when (refused.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (await TokenAsync(cancellationToken) is { } apiToken)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
            }
            return await UpstreamHttp.SendAsync(clients.CreateClient(UpstreamHttp.ClientName), request, what, timeProvider, cancellationToken);
        }
    }

    // The feed's secret is read (and decrypted) once per adapter, i.e. once per message handled, not once per request.
    // A feed with authentication 'bearer' but no credentials fails with a FeedConfigurationException that says so.
    private async ValueTask<string?> TokenAsync(CancellationToken cancellationToken) =>
        config.ApiToken ?? (config.BearerFromSecret ? resolvedToken ??= await secrets.ResolveAsync(feed.Id, feed.SecretRef, cancellationToken) : null);

    private UpstreamCall Call(string operation, int? offset = null, int? limit = null) =>
        new(feed.Id, AdapterKind, feed.UpstreamRps, operation, offset, limit);
}
