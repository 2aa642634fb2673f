namespace Platform.Domain.Pricing;

/// <summary>
/// Applies a tenant's pricing rules to stones during consolidation (SOURCES §3.9): the first active rule by
/// priority that matches sets the markup and rating; none matching means <see cref="PricingDefaults"/>.
/// Build one engine per consolidation batch from the active rules; <see cref="Price"/> then allocates nothing,
/// because it runs for every row (2 000 per claim). Rules are assumed valid (<see cref="PricingRule.Validate"/>
/// runs when they are written).
/// </summary>
public sealed class PricingEngine
{
    private readonly CompiledRule[] rules;

    public PricingEngine(IEnumerable<PricingRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        this.rules = rules
            .Where(rule => rule.Active)
            .OrderBy(rule => rule.Priority)
            .ThenBy(rule => rule.Id)
            .Select(rule => new CompiledRule(rule))
            .ToArray();
    }

    /// <summary>Ids of the rules in the order they are tried (active only).</summary>
    public IReadOnlyList<Guid> RuleOrder => Array.ConvertAll(rules, rule => rule.Id);

    public PricedStone Price(in StoneForPricing stone)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(stone))
                return Priced(stone, rule.MarkupRatio, rule.Rating, rule.Id);
        }

        return Priced(stone, PricingDefaults.MarkupRatio, PricingDefaults.Rating, ruleId: null);
    }

    private static PricedStone Priced(in StoneForPricing stone, decimal markup, int rating, Guid? ruleId) =>
        new(
            RetailPrice: Math.Round(stone.FeedPrice * markup, 2, MidpointRounding.AwayFromZero),
            PricePerCarat: stone.Carats > 0 ? Math.Round(stone.FeedPrice / stone.Carats, 2, MidpointRounding.AwayFromZero) : null,
            MarkupRatio: markup,
            Rating: rating,
            PricingRuleId: ruleId);

    /// <summary>
    /// A rule copied at construction (shapes trimmed, into an array), so matching neither allocates nor sees later
    /// changes to the caller's list. Shapes compare trimmed and case-insensitively: suppliers write "ROUND", "Round ".
    /// </summary>
    private sealed class CompiledRule(PricingRule rule)
    {
        private readonly decimal? caratMin = rule.CaratMin;
        private readonly decimal? caratMax = rule.CaratMax;
        private readonly string[] shapes = rule.Shapes?.Select(shape => shape?.Trim() ?? "").ToArray() ?? [];
        private readonly bool? labGrown = rule.LabGrown;
        private readonly Guid? feedId = rule.FeedId;

        public Guid Id { get; } = rule.Id;

        public decimal MarkupRatio { get; } = rule.MarkupRatio;

        public int Rating { get; } = rule.Rating ?? PricingDefaults.Rating;

        public bool Matches(in StoneForPricing stone) =>
            (caratMin is not { } min || stone.Carats >= min)
            && (caratMax is not { } max || stone.Carats <= max)
            && (labGrown is not { } lab || stone.LabGrown == lab)
            && (feedId is not { } feed || stone.FeedId == feed)
            && MatchesShape(stone.Shape);

        private bool MatchesShape(string shape)
        {
            if (shapes.Length == 0)
                return true;
            foreach (var candidate in shapes)
            {
                if (candidate.AsSpan().Equals(shape.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
                    return true;
            }

            return false;
        }
    }
}
