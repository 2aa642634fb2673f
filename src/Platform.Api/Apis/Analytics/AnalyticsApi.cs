using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Apis.Diamonds;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Analytics;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Api.Apis.Analytics;

/// <summary>Catalog analytics (PLATFORM §6): the inventory grouped by one or two dimensions, and price trends from the history.</summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/analytics").WithTags("Analytics").RequireAuthorization(AuthenticationSetup.CatalogRead)
            .RateLimitedByMethod();
        api.MapGet("/inventory", InventoryAsync).WithName("GetInventoryAnalytics")
            .WithSummary("Inventory by shape, grade, price or carat band")
            .WithDescription("""
                Active stones matching the search's filters, grouped by `groupBy`: one or two of shape, color, clarity, cut,
                labGrown, availability, feedId, priceBand (retail price: 0-999, 1000-2499, 2500-4999, 5000-9999, 10000-19999,
                20000-49999, 50000+), caratBand (0.00-0.49, 0.50-0.99, 1.00-1.49, 1.50-1.99, 2.00-2.99, 3.00+); default shape.
                Groups come largest first; keys are text (`null` for a missing grade).
                """)
            .AddOpenApiOperationTransformer(DiamondQueryParameters.DescribeInventory)
            .ProducesErrors(ErrorCatalog.ValidationFailed);
        api.MapGet("/price-trends", PriceTrendsAsync).WithName("GetPriceTrends")
            .WithSummary("Price changes per day or week")
            .WithDescription("""
                Price changes (from the price history) of the active stones matching the search's filters, in UTC days or ISO
                weeks over `from` ≤ time < `to` (default: the last 30 days; at most 366 days). Buckets without changes are left out.
                """)
            .AddOpenApiOperationTransformer(DiamondQueryParameters.DescribePriceTrends)
            .ProducesErrors(ErrorCatalog.ValidationFailed);
        return routes;
    }

    private static async Task<Results<Ok<InventoryReport>, ProblemHttpResult>> InventoryAsync(
        HttpRequest request, ClaimsPrincipal user, CatalogAnalytics analytics, CatalogCache cache, CancellationToken cancellationToken)
    {
        var (query, errors) = InventoryQuery.Parse(QueryValues.Of(request));
        var orgId = user.OrgId();
        return errors.IsEmpty
            ? TypedResults.Ok(await cache.GetOrLoadAsync(orgId, CatalogCacheKind.Analytics, query,
                token => analytics.InventoryAsync(orgId, query, token), cancellationToken))
            : ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
    }

    private static async Task<Results<Ok<PriceTrendReport>, ProblemHttpResult>> PriceTrendsAsync(
        HttpRequest request, ClaimsPrincipal user, CatalogAnalytics analytics, CatalogCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        var (query, errors) = PriceTrendQuery.Parse(QueryValues.Of(request), time.GetUtcNow());
        var orgId = user.OrgId();
        return errors.IsEmpty
            ? TypedResults.Ok(await cache.GetOrLoadAsync(orgId, CatalogCacheKind.Analytics, query,
                token => analytics.PriceTrendsAsync(orgId, query, token), cancellationToken))
            : ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
    }
}
