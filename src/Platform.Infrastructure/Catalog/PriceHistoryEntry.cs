namespace Platform.Infrastructure.Catalog;

/// <summary>One price change of a stone, written by the consolidation that saw it (old values are null for a new stone).</summary>
public sealed class PriceHistoryEntry
{
    public long Id { get; init; }
    public Guid RunId { get; init; }
    public decimal? OldFeedPrice { get; init; }
    public decimal NewFeedPrice { get; init; }
    public decimal? OldRetailPrice { get; init; }
    public decimal NewRetailPrice { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}
