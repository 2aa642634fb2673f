using Platform.Infrastructure.Catalog;

namespace Platform.UnitTests.Catalog;

public sealed class SearchTotalTests
{
    [Fact]
    public void A_first_page_that_holds_every_match_is_its_own_exact_total_whatever_the_estimate()
    {
        SearchTotal.WithoutCounting(firstPage: true, rowsRead: 37, limit: 50, planned: 90_000).ShouldBe(new SearchTotal(37, false));
        SearchTotal.WithoutCounting(firstPage: true, rowsRead: 0, limit: 50, planned: 12).ShouldBe(new SearchTotal(0, false));
    }

    [Fact]
    public void A_later_page_or_a_full_first_page_needs_the_count_unless_the_estimate_is_far_beyond_the_exact_limit()
    {
        SearchTotal.WithoutCounting(firstPage: false, rowsRead: 10, limit: 50, planned: 900).ShouldBeNull();
        SearchTotal.WithoutCounting(firstPage: true, rowsRead: 51, limit: 50, planned: SearchTotal.EstimateTrustedFrom - 1).ShouldBeNull();
        SearchTotal.WithoutCounting(firstPage: true, rowsRead: 51, limit: 50, planned: SearchTotal.EstimateTrustedFrom)
            .ShouldBe(new SearchTotal(SearchTotal.EstimateTrustedFrom, true));
        SearchTotal.WithoutCounting(firstPage: false, rowsRead: 51, limit: 50, planned: 165_000).ShouldBe(new SearchTotal(165_000, true));
    }

    [Fact]
    public void The_capped_count_is_exact_up_to_the_limit_and_beyond_it_the_larger_of_count_and_estimate()
    {
        SearchTotal.FromCount(10_000, planned: 30_000).ShouldBe(new SearchTotal(10_000, false));
        SearchTotal.FromCount(10_001, planned: 4_000).ShouldBe(new SearchTotal(10_001, true));
        SearchTotal.FromCount(10_001, planned: 25_000).ShouldBe(new SearchTotal(25_000, true));
    }

    [Fact]
    public void The_estimate_is_read_from_the_top_plan_node_of_explains_json()
    {
        SearchTotal.PlannedRows("""[{"Plan": {"Node Type": "Index Only Scan", "Plan Rows": 165583}}]""").ShouldBe(165_583);
        SearchTotal.PlannedRows(null).ShouldBe(0);
    }
}
