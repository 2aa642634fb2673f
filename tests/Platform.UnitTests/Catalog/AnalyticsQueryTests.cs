using Platform.Domain.Catalog.Analytics;

namespace Platform.UnitTests.Catalog;

public sealed class AnalyticsQueryTests
{
    private static IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> Query(params (string Name, string Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Name, [p.Value]));

    [Fact]
    public void Inventory_groups_by_shape_unless_told_otherwise()
    {
        var (query, errors) = InventoryQuery.Parse(Query());

        errors.IsEmpty.ShouldBeTrue();
        query.GroupBy.ShouldBe([InventoryDimension.Shape]);
    }

    [Fact]
    public void Inventory_dimensions_are_read_case_insensitively_with_the_search_filters()
    {
        var (query, errors) = InventoryQuery.Parse(Query(("groupBy", "PRICEBAND,labgrown"), ("shape", "oval")));

        errors.IsEmpty.ShouldBeTrue();
        query.GroupBy.ShouldBe([InventoryDimension.LabGrown, InventoryDimension.PriceBand], ignoreOrder: true);
        query.Criteria.Shapes.ShouldBe(["OVAL"]);
    }

    [Fact]
    public void Price_trends_default_to_the_last_30_days_by_day()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 17, TimeSpan.Zero);
        var endOfMinute = new DateTimeOffset(2026, 11, 30, 12, 1, 0, TimeSpan.Zero);

        var (query, errors) = PriceTrendQuery.Parse(Query(), now);
        var (sameMinute, _) = PriceTrendQuery.Parse(Query(), now.AddSeconds(40));

        errors.IsEmpty.ShouldBeTrue();
        query.Interval.ShouldBe(TrendInterval.Day);
        query.To.ShouldBe(endOfMinute);
        query.From.ShouldBe(endOfMinute.AddDays(-30));
        // Every default request of one minute is the same query, so they share one cache entry.
        (sameMinute.From, sameMinute.To).ShouldBe((query.From, query.To));
    }

    [Fact]
    public void A_price_trend_window_may_not_exceed_366_days()
    {
        var (_, errors) = PriceTrendQuery.Parse(Query(("from", "2024-01-01T00:00:00Z"), ("to", "2025-01-02T00:00:01Z")), DateTimeOffset.UtcNow);

        errors.Has("from").ShouldBeTrue();
    }
}
