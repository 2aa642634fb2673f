namespace Platform.Domain.Pricing;

/// <summary>The outcome of pricing one stone; a struct so pricing a batch allocates nothing per row.</summary>
/// <param name="RetailPrice">Feed price × markup, rounded to cents (midpoint away from zero).</param>
/// <param name="PricePerCarat">Feed price ÷ carats, rounded to cents; null when the carat weight is not positive.</param>
/// <param name="MarkupRatio">The markup applied.</param>
/// <param name="Rating">The rule's rating, or <see cref="PricingDefaults.Rating"/>.</param>
/// <param name="PricingRuleId">The rule that matched; null when the defaults applied.</param>
public readonly record struct PricedStone(
    decimal RetailPrice,
    decimal? PricePerCarat,
    decimal MarkupRatio,
    int Rating,
    Guid? PricingRuleId);
