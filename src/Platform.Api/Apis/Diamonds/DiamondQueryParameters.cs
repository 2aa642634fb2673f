using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Domain.Catalog;
using Platform.Domain.Catalog.Analytics;
using Platform.Domain.Catalog.History;
using Platform.Domain.Catalog.Search;

namespace Platform.Api.Apis.Diamonds;

/// <summary>
/// The query parameters of search and price history for the OpenAPI document. The handlers read the raw query string
/// (the domain parsers validate every value and refuse unknown names), so nothing is inferred from their signatures;
/// the vocabularies and bounds come from the parsers' own constants, and a test checks the names match theirs.
/// </summary>
internal static class DiamondQueryParameters
{
    public static Task DescribeSearch(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters = [.. Search()];
        return Task.CompletedTask;
    }

    public static Task DescribeExport(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters =
        [
            .. Filters(),
            Query("format", "`csv` (default) or `ndjson`.", Enumeration(["csv", "ndjson"], "csv")),
        ];
        return Task.CompletedTask;
    }

    public static Task DescribeInventory(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters =
        [
            .. Filters().Where(p => p.Name is not ("sort" or "order")),
            Query("groupBy", "One or two dimensions (repeat or comma-separate); default `shape`.", new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = Enumeration([.. InventoryQuery.Dimensions.Keys]),
                MaxItems = InventoryQuery.MaxDimensions,
            }, ParameterStyle.Form, explode: true),
        ];
        return Task.CompletedTask;
    }

    public static Task DescribePriceTrends(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters =
        [
            .. Filters().Where(p => p.Name is not ("sort" or "order")),
            Query("interval", "`day` (default, UTC) or `week` (ISO, from Monday).", Enumeration(["day", "week"], "day")),
            Query("from", $"Start of the window, inclusive (ISO 8601 with an offset); default `to` minus {PriceTrendQuery.DefaultDays} days.",
                new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
            Query("to", $"End of the window, exclusive; default now. At most {PriceTrendQuery.MaxDays} days after `from`.",
                new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        ];
        return Task.CompletedTask;
    }

    public static Task DescribePriceHistory(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters = [Id("The diamond's id."), .. PriceHistory()];
        return Task.CompletedTask;
    }

    private static IEnumerable<IOpenApiParameter> Search() =>
    [
        .. Filters(),
        Limit(DiamondSearchCriteria.DefaultLimit, DiamondSearchCriteria.MaxLimit),
        Cursor("The previous page's `nextCursor`, unchanged, with the same filters and sort."),
    ];

    /// <summary>Filters and sort, shared by search and export.</summary>
    private static IEnumerable<IOpenApiParameter> Filters() =>
    [
        Codes("shape", "Shapes; a stone matching any of them.", DiamondGrades.Shapes),
        Codes("color", "Colour grades, D (best) to Z.", DiamondGrades.Colors),
        Codes("clarity", "Clarity grades, FL (best) to I3.", DiamondGrades.Clarities),
        Codes("cut", "Cut grades: ideal, excellent, very good, good, fair, poor.", DiamondGrades.Finishes),
        Codes("polish", "Polish grades.", DiamondGrades.Finishes),
        Codes("symmetry", "Symmetry grades.", DiamondGrades.Finishes),
        Codes("fluorescence", "Fluorescence.", DiamondGrades.Fluorescences),
        Codes("availability", "Availability (default: any).", DiamondGrades.Availabilities),
        Number("caratMin", "Smallest carat weight, inclusive; at most caratMax.", DiamondSearchParser.MaxCarats),
        Number("caratMax", "Largest carat weight, inclusive.", DiamondSearchParser.MaxCarats),
        Number("priceMin", "Lowest retail price, inclusive; at most priceMax.", DiamondSearchParser.MaxPrice),
        Number("priceMax", "Highest retail price, inclusive.", DiamondSearchParser.MaxPrice),
        Query("labGrown", "Only lab-grown (true) or only natural (false) stones.", new OpenApiSchema { Type = JsonSchemaType.Boolean }),
        Query("feedId", "Only stones of this feed.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }),
        Query("sort", "Sort key; every sort ends with the stone's id, so the order is total. Grades sort best first when ascending.",
            Enumeration([.. DiamondSorts.ByName.Keys], DiamondSorts.NameOf(DiamondSort.CreatedAt))),
        Query("order", "`desc` by default for createdAt (newest first), `asc` for the others.", Enumeration(["asc", "desc"])),
    ];

    private static IEnumerable<IOpenApiParameter> PriceHistory() =>
    [
        Query("from", "Changes at or after this time (ISO 8601 with an offset); before `to`.",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        Query("to", "Changes before this time.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        Limit(PriceHistoryQuery.DefaultLimit, PriceHistoryQuery.MaxLimit),
        Cursor("The previous page's `nextCursor`, with the same `from` and `to`."),
    ];

    /// <summary>A list filter: repeat the parameter (<c>color=D&amp;color=E</c>); the API also takes <c>color=D,E</c>.</summary>
    private static OpenApiParameter Codes(string name, string description, IReadOnlyList<string> values) =>
        Query(name, description, new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = Enumeration(values),
            MaxItems = DiamondSearchParser.MaxListValues,
        }, ParameterStyle.Form, explode: true);

    private static OpenApiParameter Number(string name, string description, decimal maximum) =>
        Query(name, description, new OpenApiSchema
        {
            Type = JsonSchemaType.Number,
            Minimum = "0",
            Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private static OpenApiParameter Limit(int defaultLimit, int maxLimit) =>
        Query("limit", $"Page size, 1–{maxLimit} (default {defaultLimit}).", new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = maxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = defaultLimit,
        });

    private static OpenApiParameter Cursor(string description) =>
        Query("cursor", description, new OpenApiSchema { Type = JsonSchemaType.String });

    private static OpenApiParameter Id(string description) => new()
    {
        Name = "id",
        In = ParameterLocation.Path,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
    };

    private static OpenApiSchema Enumeration(IReadOnlyList<string> values, string? defaultValue = null) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))],
        Default = defaultValue is null ? null : JsonValue.Create(defaultValue),
    };

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema, ParameterStyle? style = null, bool explode = false) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = schema,
        Style = style,
        Explode = explode,
    };
}
