using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// The adapter of Nivoda's GraphQL API (and anything speaking its shape): authenticate with username and password for
/// a session token, count with <c>diamonds_by_query_count</c>, page with <c>diamonds_by_query</c> ordered by createdAt.
/// Every request, authentication included, goes through the feed's rate limit and resilience pipeline.
/// </summary>
public sealed partial class NivodaFeedAdapter : IFeedAdapter
{
    public const string AdapterKind = "nivoda-graphql";
    public const int PageSizeLimit = 50;
    public const int StandardPageSize = 30;

    private readonly FeedDefinition feed;
    private readonly NivodaFeedConfig config;
    private readonly NivodaSessionKey session;
    private readonly NivodaAdapterServices services;

    internal NivodaFeedAdapter(FeedDefinition feed, NivodaFeedConfig config, NivodaAdapterServices services)
    {
        this.feed = feed;
        this.config = config;
        this.services = services;
        session = new NivodaSessionKey(feed.Id, config.Endpoint, config.Username);
    }

    public string Kind => AdapterKind;

    public int MaxPageSize => PageSizeLimit;

    public int DefaultPageSize => StandardPageSize;

    public Task<long> CountAsync(FeedQuery query, CancellationToken cancellationToken) =>
        WithTokenAsync(token =>
        {
            var body = NivodaRequestBody.Count(token, query);
            return services.Gateway.SendAsync(Call(UpstreamOperation.Count), async attempt =>
            {
                using var answer = await PostAsync(body, "count", attempt);
                return NivodaResponses.ReadCount(answer);
            }, cancellationToken);
        }, cancellationToken);

    public Task<FeedPage> SearchAsync(FeedQuery query, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, PageSizeLimit);
        return WithTokenAsync(token =>
        {
            var body = NivodaRequestBody.Search(token, query, offset, limit);
            return services.Gateway.SendAsync(Call(UpstreamOperation.Search, offset, limit), async attempt =>
            {
                using var answer = await PostAsync(body, "search", attempt);
                return NivodaResponses.ReadPage(answer, query);
            }, cancellationToken);
        }, cancellationToken);
    }

    public DiamondDraft Map(RawStone stone) => NivodaStoneMapper.Map(stone);

    /// <summary>Runs a data call with the cached token; a refused token is replaced once and the call repeated.</summary>
    private async Task<T> WithTokenAsync<T>(Func<string, Task<T>> send, CancellationToken cancellationToken)
    {
        var token = await services.Tokens.GetAsync(session, AuthenticateAsync, cancellationToken);
        try
        {
            return await send(token);
        }
        catch (NivodaGraphQlException refused) when (refused.IsTokenRejected)
        {
            LogTokenRefused(services.Logger, feed.Id, refused.Code);
            services.Tokens.Invalidate(session, token);
            token = await services.Tokens.GetAsync(session, AuthenticateAsync, cancellationToken);
            return await send(token);
        }
    }

    private async Task<NivodaToken> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var password = await services.Secrets.ResolveAsync(feed.Id, config.SecretRef, cancellationToken);
        var body = NivodaRequestBody.Authenticate(config.Username, password);
        var token = await services.Gateway.SendAsync(Call(UpstreamOperation.Authenticate), async attempt =>
        {
            using var answer = await PostAsync(body, "authenticate", attempt, isAuthentication: true);
            return NivodaResponses.ReadToken(answer, services.TimeProvider.GetUtcNow());
        }, cancellationToken);
        LogAuthenticated(services.Logger, feed.Id, token.ExpiresAt);
        return token;
    }

    private Task<JsonDocument> PostAsync(byte[] body, string operation, CancellationToken cancellationToken, bool isAuthentication = false) =>
        NivodaGraphQl.PostAsync(
            services.Clients.CreateClient(UpstreamHttp.ClientName), config.Endpoint, body, operation, isAuthentication, services.TimeProvider, cancellationToken);

    private UpstreamCall Call(string operation, int? offset = null, int? limit = null) =>
        new(feed.Id, AdapterKind, feed.UpstreamRps, operation, offset, limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Authenticated with Nivoda for feed {FeedId}; token valid until {ExpiresAt:o}")]
    private static partial void LogAuthenticated(ILogger logger, Guid feedId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nivoda refused the session token of feed {FeedId} ({Code}); authenticating again")]
    private static partial void LogTokenRefused(ILogger logger, Guid feedId, string? code);
}

/// <summary>What every Nivoda adapter shares, bundled so the factory passes one object.</summary>
internal sealed record NivodaAdapterServices(
    IHttpClientFactory Clients, UpstreamGateway Gateway, NivodaTokenCache Tokens, IFeedSecretResolver Secrets, TimeProvider TimeProvider, ILogger Logger);
