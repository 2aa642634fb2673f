using Platform.Domain.Catalog.Search;

namespace Platform.UnitTests.Catalog;

public sealed class DiamondExportQueryTests
{
    private static (DiamondExportQuery Query, IDictionary<string, string[]> Errors) Parse(params (string Name, string? Value)[] query)
    {
        var (parsed, errors) = DiamondExportQuery.Parse(query.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Name, [p.Value])));
        return (parsed, errors.ToDictionary());
    }

    [Fact]
    public void Csv_is_the_default_and_the_search_filters_apply()
    {
        var (query, errors) = Parse(("shape", "OVAL"), ("sort", "price"));

        errors.ShouldBeEmpty();
        query.Format.ShouldBe(ExportFormat.Csv);
        query.Criteria.Shapes.ShouldBe(["OVAL"]);
        query.Criteria.Sort.ShouldBe(DiamondSort.Price);
    }

    [Theory]
    [InlineData("csv", ExportFormat.Csv)]
    [InlineData("NDJSON", ExportFormat.Ndjson)]
    public void Format_is_read_case_insensitively(string value, ExportFormat expected) =>
        Parse(("format", value)).Query.Format.ShouldBe(expected);

    [Theory]
    [InlineData("format", "xlsx")]
    [InlineData("limit", "10")]
    [InlineData("cursor", "x")]
    [InlineData("shape", "TRIANGLE_ISH")]
    public void Unknown_formats_paging_and_bad_filters_are_field_errors(string name, string value) =>
        Parse((name, value)).Errors.Keys.ShouldContain(name);
}
