using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.History;
using Platform.Domain.Catalog.Paging;
using Platform.Domain.Catalog.Search;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Api.Apis.Diamonds;

/// <summary>
/// Catalog reads (PLATFORM §6, catalog): search with keyset paging, one stone, its price history, and many stones by
/// id. Only the caller's active stones are visible; anything else reads as absent (ADR 0020 for the cursors).
/// </summary>
public static class DiamondsApi
{
    public static IEndpointRouteBuilder MapDiamondsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Catalog").RequireAuthorization(AuthenticationSetup.CatalogRead)
            .RateLimitedByMethod();
        api.MapGet("/diamonds", SearchAsync).WithName("SearchDiamonds")
            .WithSummary("Search diamonds")
            .WithDescription("""
                Filters, an allow-listed sort and keyset pages. List filters match a stone with any of their values; different
                parameters must all match; an unknown parameter is refused. Pass `nextCursor` as `cursor` with the same filters
                and sort for the next page (`null` on the last). `total` is exact up to 10 000, an estimate beyond
                (`totalIsEstimate`).
                """)
            .AddOpenApiOperationTransformer(DiamondQueryParameters.DescribeSearch)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.InvalidCursor);
        // A literal ':' is fine in a route segment: only '{…}' parameters give it meaning (constraints).
        api.MapPost("/diamonds:batchGet", BatchGetAsync).RequireRateLimiting(RateLimitPolicies.CatalogRead).WithName("BatchGetDiamonds")
            .WithSummary("Get many diamonds by id")
            .WithDescription("1–100 ids. `items` holds the stones found, in request order; `notFound` the ids that are not active stones of your organization.");
        api.MapGet("/diamonds/{id:guid}", GetAsync).WithName("GetDiamond")
            .WithSummary("Get a diamond").WithDescription("Only active stones of your organization; anything else is `404 NOT_FOUND`.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapGet("/diamonds/{id:guid}/price-history", PriceHistoryAsync).WithName("GetDiamondPriceHistory")
            .WithSummary("A diamond's price history")
            .WithDescription("Newest first, in the window `from` ≤ `changedAt` < `to`, keyset-paged. The first entry of a stone has null old prices.")
            .AddOpenApiOperationTransformer(DiamondQueryParameters.DescribePriceHistory)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.InvalidCursor, ErrorCatalog.NotFound);
        return routes;
    }

    /// <summary>The page is cached as the JSON it is written as: a hit copies bytes instead of serializing 50 stones again.</summary>
    private static async Task<Results<CachedJsonResult<DiamondList>, ProblemHttpResult>> SearchAsync(
        HttpRequest request, ClaimsPrincipal user, DiamondSearch search, DiamondCursor cursors, CatalogCache cache, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var (criteria, errors) = DiamondSearchParser.Parse(QueryValues.Of(request));
        if (!errors.IsEmpty)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var orgId = user.OrgId();
        DiamondPosition? after = null;
        if (criteria.Cursor is { } token && (after = cursors.Decode(orgId, criteria, token)) is null)
        {
            return InvalidCursor();
        }
        return new CachedJsonResult<DiamondList>(await cache.GetOrLoadAsync(orgId, CatalogCacheKind.Search, criteria, async token =>
        {
            var page = await search.SearchAsync(orgId, criteria, after, token);
            var next = page.Next is { } position ? cursors.Encode(orgId, criteria, position) : null;
            return CachedJson.Of(new DiamondList(page.Items, next, page.Total, page.TotalIsEstimate), json.Value.SerializerOptions);
        }, cancellationToken));
    }

    private static async Task<Results<Ok<DiamondView>, ProblemHttpResult>> GetAsync(
        [Description("The diamond's id.")] Guid id, ClaimsPrincipal user, DiamondQueries diamonds, CatalogCache cache, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        return await cache.GetOrLoadAsync(orgId, CatalogCacheKind.Detail, id, token => diamonds.FindAsync(orgId, id, token), cancellationToken) is { } diamond
            ? TypedResults.Ok(diamond)
            : ApiProblem.Result(ErrorCatalog.NotFound);
    }

    private static async Task<Results<Ok<PriceHistoryPage>, ProblemHttpResult>> PriceHistoryAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, DiamondQueries diamonds, PriceHistoryCursor cursors, CancellationToken cancellationToken)
    {
        var (query, errors) = PriceHistoryQuery.Parse(QueryValues.Of(request));
        if (!errors.IsEmpty)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var scope = query.Scope(user.OrgId(), id);
        PriceHistoryPosition? after = null;
        if (query.Cursor is { } token && (after = cursors.Decode(scope, token)) is null)
        {
            return InvalidCursor();
        }
        if (await diamonds.PriceHistoryAsync(user.OrgId(), id, query, after, cancellationToken) is not { } entries)
        {
            return ApiProblem.Result(ErrorCatalog.NotFound);
        }
        if (entries.Count <= query.Limit)
        {
            return TypedResults.Ok(new PriceHistoryPage(entries, null));
        }
        var page = entries.Take(query.Limit).ToList();
        return TypedResults.Ok(new PriceHistoryPage(page, cursors.Encode(scope, new PriceHistoryPosition(page[^1].ChangedAt, page[^1].Id))));
    }

    private static async Task<Results<Ok<DiamondBatch>, ProblemHttpResult>> BatchGetAsync(
        BatchGetRequest request, ClaimsPrincipal user, DiamondQueries diamonds, CancellationToken cancellationToken)
    {
        var (ids, errors) = DiamondIdList.Parse(request.Ids);
        if (!errors.IsEmpty)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var found = (await diamonds.FindManyAsync(user.OrgId(), ids, cancellationToken)).ToDictionary(diamond => diamond.Id);
        return TypedResults.Ok(new DiamondBatch(
            [.. ids.Where(found.ContainsKey).Select(id => found[id])],
            [.. ids.Where(id => !found.ContainsKey(id))]));
    }

    private static ProblemHttpResult InvalidCursor() => ApiProblem.Result(ErrorCatalog.InvalidCursor,
        "The cursor was altered, or was issued for other filters, another sort or another organization.",
        new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor of this search."] });
}
