namespace Platform.Domain.Pricing;

/// <summary>What a stone gets when no active pricing rule matches it, or when the matching rule has no rating.</summary>
public static class PricingDefaults
{
    public const decimal MarkupRatio = 1.15m;

    public const int Rating = 5;
}
