using Platform.Domain.Catalog.Reading;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Search;

/// <summary>The file formats of <c>GET /exports/diamonds</c>.</summary>
public enum ExportFormat
{
    Csv,
    Ndjson,
}

/// <summary>
/// The query string of <c>GET /exports/diamonds</c>: the search's filters and sort, plus <c>format</c>. An export holds
/// every matching stone, so the search's paging parameters (<c>limit</c>, <c>cursor</c>) are refused rather than ignored.
/// </summary>
public sealed record DiamondExportQuery(DiamondSearchCriteria Criteria, ExportFormat Format)
{
    private static readonly string[] PagingParameters = ["limit", "cursor"];

    public static (DiamondExportQuery Query, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query)
    {
        var pairs = query.ToList();
        bool Is(KeyValuePair<string, IReadOnlyList<string?>> pair, string name) =>
            string.Equals(pair.Key.TrimEnd('[', ']'), name, StringComparison.OrdinalIgnoreCase);

        var errors = new FieldErrors();
        var format = new QueryStringReader(pairs.Where(pair => Is(pair, "format")), errors).OneOf("format", ["csv", "ndjson"]);
        foreach (var name in PagingParameters.Where(name => pairs.Any(pair => Is(pair, name))))
        {
            errors.Add(name, "Exports hold every matching stone; page with GET /api/v1/diamonds instead.");
        }
        var (criteria, searchErrors) = DiamondSearchParser.Parse(pairs.Where(pair => !Is(pair, "format") && !PagingParameters.Any(name => Is(pair, name))));
        foreach (var (field, messages) in searchErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }
        return (new DiamondExportQuery(criteria, format == "ndjson" ? ExportFormat.Ndjson : ExportFormat.Csv), errors);
    }
}
