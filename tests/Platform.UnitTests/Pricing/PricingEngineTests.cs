using Platform.Domain.Pricing;

namespace Platform.UnitTests.Pricing;

public sealed class PricingEngineTests
{
    private static readonly Guid FeedA = new("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid FeedB = new("bbbbbbbb-0000-0000-0000-000000000002");

    private static StoneForPricing Stone(decimal price = 1_000m, decimal carats = 1m, string shape = "Round", bool labGrown = false, Guid? feed = null) =>
        new(price, carats, shape, labGrown, feed ?? FeedA);

    private static PricingRule Rule(decimal markup, int priority = 10, Guid? id = null) =>
        new() { Id = id ?? Guid.NewGuid(), Priority = priority, MarkupRatio = markup };

    private static PricedStone Price(StoneForPricing stone, params PricingRule[] rules) => new PricingEngine(rules).Price(stone);

    [Fact]
    public void The_matching_rule_with_the_lowest_priority_wins()
    {
        var preferred = Rule(1.5m, priority: 1);

        var priced = Price(Stone(), Rule(2m, priority: 5), preferred, Rule(3m, priority: 9));

        priced.MarkupRatio.ShouldBe(1.5m);
        priced.PricingRuleId.ShouldBe(preferred.Id);
    }

    [Fact]
    public void A_rule_without_criteria_matches_every_stone()
    {
        var catchAll = Rule(1.3m);

        Price(Stone(shape: "Oval", labGrown: true, carats: 7m, feed: FeedB), catchAll).PricingRuleId.ShouldBe(catchAll.Id);
    }

    [Theory]
    [InlineData(0.49, false)]
    [InlineData(0.50, true)]
    [InlineData(0.75, true)]
    [InlineData(1.00, true)]
    [InlineData(1.01, false)]
    public void Carat_bounds_are_inclusive_at_both_ends(decimal carats, bool matches)
    {
        var rule = Rule(2m) with { CaratMin = 0.5m, CaratMax = 1.0m };

        (Price(Stone(carats: carats), rule).PricingRuleId == rule.Id).ShouldBe(matches);
    }

    [Fact]
    public void Either_carat_bound_alone_limits_one_side()
    {
        var atLeastTwo = Rule(2m) with { CaratMin = 2m };
        var atMostOne = Rule(3m) with { CaratMax = 1m };

        Price(Stone(carats: 5m), atLeastTwo, atMostOne).PricingRuleId.ShouldBe(atLeastTwo.Id);
        Price(Stone(carats: 0.3m), atLeastTwo, atMostOne).PricingRuleId.ShouldBe(atMostOne.Id);
        Price(Stone(carats: 1.5m), atLeastTwo, atMostOne).PricingRuleId.ShouldBeNull();
    }

    [Theory]
    [InlineData("Round", true)]
    [InlineData("ROUND", true)]
    [InlineData(" round ", true)]
    [InlineData("princess", true)]
    [InlineData("Oval", false)]
    public void Shapes_match_case_insensitively(string shape, bool matches)
    {
        var rule = Rule(2m) with { Shapes = ["round", "PRINCESS"] };

        (Price(Stone(shape: shape), rule).PricingRuleId == rule.Id).ShouldBe(matches);
    }

    [Fact]
    public void An_empty_shape_list_matches_any_shape()
    {
        var rule = Rule(2m) with { Shapes = [] };

        Price(Stone(shape: "Cushion"), rule).PricingRuleId.ShouldBe(rule.Id);
    }

    [Fact]
    public void Lab_grown_filter_matches_only_its_kind()
    {
        var labOnly = Rule(1.2m) with { LabGrown = true };

        Price(Stone(labGrown: true), labOnly).PricingRuleId.ShouldBe(labOnly.Id);
        Price(Stone(labGrown: false), labOnly).PricingRuleId.ShouldBeNull();
    }

    [Fact]
    public void Feed_filter_matches_only_stones_of_that_feed()
    {
        var feedBOnly = Rule(1.4m) with { FeedId = FeedB };

        Price(Stone(feed: FeedB), feedBOnly).PricingRuleId.ShouldBe(feedBOnly.Id);
        Price(Stone(feed: FeedA), feedBOnly).PricingRuleId.ShouldBeNull();
    }

    [Fact]
    public void All_criteria_of_a_rule_must_hold()
    {
        var rule = Rule(2m) with { CaratMin = 1m, Shapes = ["Round"], LabGrown = false, FeedId = FeedA };

        Price(Stone(), rule).PricingRuleId.ShouldBe(rule.Id);
        Price(Stone(shape: "Oval"), rule).PricingRuleId.ShouldBeNull();
        Price(Stone(labGrown: true), rule).PricingRuleId.ShouldBeNull();
        Price(Stone(feed: FeedB), rule).PricingRuleId.ShouldBeNull();
    }

    [Fact]
    public void Inactive_rules_are_ignored()
    {
        var inactive = Rule(3m, priority: 0) with { Active = false };
        var active = Rule(2m, priority: 5);

        Price(Stone(), inactive, active).PricingRuleId.ShouldBe(active.Id);
        new PricingEngine([inactive]).RuleOrder.ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_matching_rule_the_default_markup_and_rating_apply()
    {
        var priced = Price(Stone(price: 1_000m), Rule(2m) with { Shapes = ["Oval"] });

        priced.ShouldBe(new PricedStone(RetailPrice: 1_150.00m, PricePerCarat: 1_000m, MarkupRatio: 1.15m, Rating: 5, PricingRuleId: null));
    }

    [Fact]
    public void A_rule_sets_the_rating_and_one_without_a_rating_gets_the_default()
    {
        Price(Stone(), Rule(2m) with { Rating = 9 }).Rating.ShouldBe(9);
        Price(Stone(), Rule(2m)).Rating.ShouldBe(PricingDefaults.Rating);
    }

    [Theory]
    [InlineData(1234.565, 1.0, 1234.57)]
    [InlineData(100, 1.15, 115.00)]
    [InlineData(1.005, 1.0, 1.01)]
    [InlineData(999.99, 1.333, 1332.99)]
    [InlineData(2.5, 0.5, 1.25)]
    public void Retail_price_is_rounded_to_cents_away_from_zero(decimal feedPrice, decimal markup, decimal retail)
    {
        Price(Stone(price: feedPrice), Rule(markup)).RetailPrice.ShouldBe(retail);
    }

    [Theory]
    [InlineData(1000, 3, 333.33)]
    [InlineData(1000, 0.3, 3333.33)]
    [InlineData(10.01, 2, 5.01)]
    public void Price_per_carat_is_the_feed_price_over_the_carats_rounded_to_cents(decimal feedPrice, decimal carats, decimal perCarat)
    {
        Price(Stone(price: feedPrice, carats: carats)).PricePerCarat.ShouldBe(perCarat);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Price_per_carat_is_null_without_a_positive_weight(decimal carats)
    {
        Price(Stone(carats: carats)).PricePerCarat.ShouldBeNull();
    }

    [Fact]
    public void Equal_priorities_are_broken_by_rule_id_whatever_the_load_order()
    {
        var first = Rule(1.5m, priority: 3, id: new Guid("00000000-0000-0000-0000-000000000001"));
        var second = Rule(2.5m, priority: 3, id: new Guid("00000000-0000-0000-0000-000000000002"));

        Price(Stone(), first, second).PricingRuleId.ShouldBe(first.Id);
        Price(Stone(), second, first).PricingRuleId.ShouldBe(first.Id);
        new PricingEngine([second, first]).RuleOrder.ShouldBe([first.Id, second.Id]);
    }

    [Fact]
    public void Changing_the_shape_list_after_building_the_engine_changes_nothing()
    {
        var shapes = new List<string> { "Round" };
        var rule = Rule(2m) with { Shapes = shapes };
        var engine = new PricingEngine([rule]);

        shapes[0] = "Oval";

        engine.Price(Stone(shape: "Round")).PricingRuleId.ShouldBe(rule.Id);
    }

    [Fact]
    public void Pricing_a_batch_allocates_nothing_per_stone()
    {
        var engine = new PricingEngine(Enumerable.Range(0, 20)
            .Select(i => Rule(1m + (i / 10m), priority: i) with { Shapes = ["Oval", "Pear"], CaratMin = 0.5m }));
        var stones = Enumerable.Range(0, 2_000).Select(i => Stone(price: 100 + i, carats: 0.3m + (i % 5), shape: i % 2 == 0 ? "round" : "pear")).ToArray();
        engine.Price(stones[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        decimal sum = 0;
        foreach (var stone in stones)
            sum += engine.Price(stone).RetailPrice;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.ShouldBe(0);
        sum.ShouldBeGreaterThan(0);
    }
}
