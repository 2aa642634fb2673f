using Platform.Domain.Catalog.Reading;
using Platform.Domain.Catalog.Search;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Analytics;

/// <summary>What inventory can be grouped by; price and carat bands are fixed, named ranges.</summary>
public enum InventoryDimension
{
    Shape,
    Color,
    Clarity,
    Cut,
    LabGrown,
    Availability,
    FeedId,
    PriceBand,
    CaratBand,
}

/// <summary>
/// <c>GET /analytics/inventory</c>: the search's filters plus <c>groupBy</c>, one or two dimensions (default shape).
/// Sorting and paging parameters are refused: the answer is every group at once (at most a few hundred).
/// </summary>
public sealed record InventoryQuery(DiamondSearchCriteria Criteria, IReadOnlyList<InventoryDimension> GroupBy)
{
    public const int MaxDimensions = 2;

    public static readonly IReadOnlyDictionary<string, InventoryDimension> Dimensions =
        Enum.GetValues<InventoryDimension>().ToDictionary(NameOf, d => d);

    /// <summary>The parameter spelling of a dimension (camelCase), also the key name in the answer's groups.</summary>
    public static string NameOf(InventoryDimension dimension) =>
        char.ToLowerInvariant(dimension.ToString()[0]) + dimension.ToString()[1..];

    public static (InventoryQuery Query, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query)
    {
        var errors = new FieldErrors();
        var filters = SearchFilterQuery.Parse(query, ["groupBy"], ["sort", "order", "limit", "cursor"],
            "Inventory analytics answer every group at once; there is nothing to sort or page.", errors);
        var names = new QueryStringReader(filters.Own, errors).Codes("groupBy", [.. Dimensions.Keys], MaxDimensions);
        var groupBy = names.Select(name => Dimensions[name]).ToList();
        return (new InventoryQuery(filters.Criteria, groupBy.Count == 0 ? [InventoryDimension.Shape] : groupBy), errors);
    }
}
