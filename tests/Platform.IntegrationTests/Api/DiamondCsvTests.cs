using Platform.Api.Apis.Exports;

namespace Platform.IntegrationTests.Api;

public sealed class DiamondCsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@sum", "'@sum")]
    public void Text_fields_are_quoted_when_needed_and_never_run_as_formulas(string? value, string expected) =>
        DiamondCsv.Text(value).ShouldBe(expected);

    [Fact]
    public void The_header_names_as_many_columns_as_a_line_has() =>
        DiamondCsv.Header.Split(',').Length.ShouldBe(DiamondCsv.Line(new Platform.Infrastructure.Catalog.DiamondView()).Split(',').Length);
}
