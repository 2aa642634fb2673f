namespace Platform.Infrastructure.Pricing;

/// <summary>A stored pricing rule as the API returns it (and as audit entries record it).</summary>
public sealed class PricingRuleRecord
{
    public Guid Id { get; init; }
    public int Priority { get; init; }
    public decimal? CaratMin { get; init; }
    public decimal? CaratMax { get; init; }
    public string[]? Shapes { get; init; }
    public bool? LabGrown { get; init; }
    public Guid? FeedId { get; init; }
    public decimal MarkupRatio { get; init; }
    public int? Rating { get; init; }
    public bool Active { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
