namespace Platform.Domain.Catalog.Search;

/// <summary>The sorts a search allows. Every sort is completed by the diamond id, so the order is total.</summary>
public enum DiamondSort
{
    CreatedAt,
    Price,
    Carats,
    Color,
    Clarity,
}

public static class DiamondSorts
{
    /// <summary>The query-string names, in the API's spelling.</summary>
    public static readonly IReadOnlyDictionary<string, DiamondSort> ByName = new Dictionary<string, DiamondSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["createdAt"] = DiamondSort.CreatedAt,
        ["price"] = DiamondSort.Price,
        ["carats"] = DiamondSort.Carats,
        ["color"] = DiamondSort.Color,
        ["clarity"] = DiamondSort.Clarity,
    };

    public static string NameOf(DiamondSort sort) => sort switch
    {
        DiamondSort.CreatedAt => "createdAt",
        DiamondSort.Price => "price",
        DiamondSort.Carats => "carats",
        DiamondSort.Color => "color",
        _ => "clarity",
    };

    /// <summary>Newest first for <c>createdAt</c>; ascending (cheapest, smallest, best grade first) for the others.</summary>
    public static bool DescendingByDefault(DiamondSort sort) => sort == DiamondSort.CreatedAt;
}
