using Platform.Domain.Errors;

namespace Platform.UnitTests.Errors;

public sealed class ErrorCatalogTests
{
    [Fact]
    public void Codes_are_unique_upper_snake_case_with_a_hint()
    {
        ErrorCatalog.All.Select(e => e.Code).ShouldBeUnique();
        ErrorCatalog.All.ShouldAllBe(e => System.Text.RegularExpressions.Regex.IsMatch(e.Code, "^[A-Z][A-Z0-9_]+$"));
        ErrorCatalog.All.ShouldAllBe(e => e.Hint.Length > 10 && e.Status >= 400 && e.Status < 600);
    }

    [Fact]
    public void Docs_anchor_is_derived_from_the_code()
    {
        ErrorCatalog.ValidationFailed.DocsAnchor.ShouldBe("errors#validation-failed");
    }
}
