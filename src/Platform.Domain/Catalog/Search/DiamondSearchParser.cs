using Platform.Domain.Catalog.Reading;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Search;

/// <summary>Turns the query string of <c>GET /diamonds</c> into <see cref="DiamondSearchCriteria"/>, or field errors.</summary>
public static class DiamondSearchParser
{
    /// <summary>The largest carat weight the store holds (numeric(6,2)).</summary>
    public const decimal MaxCarats = 9999.99m;

    /// <summary>The largest price the store holds (numeric(12,2)).</summary>
    public const decimal MaxPrice = 9_999_999_999.99m;

    /// <summary>Values per list filter: enough for any real selection, small enough to keep the SQL and the cursor scope short.</summary>
    public const int MaxListValues = 25;

    public static readonly IReadOnlyList<string> Parameters =
    [
        "shape", "color", "clarity", "cut", "polish", "symmetry", "fluorescence", "availability", "caratMin", "caratMax",
        "priceMin", "priceMax", "labGrown", "feedId", "sort", "order", "limit", "cursor",
    ];

    private static readonly IReadOnlyList<string> Orders = ["asc", "desc"];

    public static (DiamondSearchCriteria Criteria, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query)
    {
        var errors = new FieldErrors();
        var read = new QueryStringReader(query, errors);
        read.RejectUnknown(Parameters);

        var sortName = read.OneOf("sort", [.. DiamondSorts.ByName.Keys]);
        var sort = sortName is null ? DiamondSort.CreatedAt : DiamondSorts.ByName[sortName];
        var order = read.OneOf("order", Orders);
        var criteria = new DiamondSearchCriteria
        {
            Shapes = read.Codes("shape", DiamondGrades.Shapes, MaxListValues),
            Colors = read.Codes("color", DiamondGrades.Colors, MaxListValues),
            Clarities = read.Codes("clarity", DiamondGrades.Clarities, MaxListValues),
            Cuts = read.Codes("cut", DiamondGrades.Finishes, MaxListValues),
            Polishes = read.Codes("polish", DiamondGrades.Finishes, MaxListValues),
            Symmetries = read.Codes("symmetry", DiamondGrades.Finishes, MaxListValues),
            Fluorescences = read.Codes("fluorescence", DiamondGrades.Fluorescences, MaxListValues),
            Availabilities = read.Codes("availability", DiamondGrades.Availabilities, MaxListValues),
            CaratMin = read.Number("caratMin", 0, MaxCarats),
            CaratMax = read.Number("caratMax", 0, MaxCarats),
            PriceMin = read.Number("priceMin", 0, MaxPrice),
            PriceMax = read.Number("priceMax", 0, MaxPrice),
            LabGrown = read.Bool("labGrown"),
            FeedId = read.Uuid("feedId"),
            Sort = sort,
            Descending = order is null ? DiamondSorts.DescendingByDefault(sort) : order == "desc",
            Limit = read.WholeNumber("limit", 1, DiamondSearchCriteria.MaxLimit) ?? DiamondSearchCriteria.DefaultLimit,
            // Any length up to a sanity bound: a bad cursor is reported as INVALID_CURSOR by the codec, not as a field error.
            Cursor = read.Text("cursor", maxLength: int.MaxValue),
        };
        if (criteria.CaratMin > criteria.CaratMax)
        {
            errors.Add("caratMin", "Must not exceed caratMax.");
        }
        if (criteria.PriceMin > criteria.PriceMax)
        {
            errors.Add("priceMin", "Must not exceed priceMax.");
        }
        return (criteria, errors);
    }
}
