namespace Platform.Domain.Pricing;

/// <summary>The few facts about a stone that pricing rules look at; a struct because it is built per row on the hot path.</summary>
public readonly record struct StoneForPricing(decimal FeedPrice, decimal Carats, string Shape, bool LabGrown, Guid FeedId);
