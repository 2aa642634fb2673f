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
    public static (DiamondExportQuery Query, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query)
    {
        var errors = new FieldErrors();
        var filters = SearchFilterQuery.Parse(query, ["format"], ["limit", "cursor"],
            "Exports hold every matching stone; page with GET /api/v1/diamonds instead.", errors);
        var format = new QueryStringReader(filters.Own, errors).OneOf("format", ["csv", "ndjson"]);
        return (new DiamondExportQuery(filters.Criteria, format == "ndjson" ? ExportFormat.Ndjson : ExportFormat.Csv), errors);
    }
}
