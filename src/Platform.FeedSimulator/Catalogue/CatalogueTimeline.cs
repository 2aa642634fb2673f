namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// Fixed dates of the fake catalogue. createdAt grows with the stone's index, so ordering by
/// createdAt is total and equals ordering by index.
/// </summary>
internal static class CatalogueTimeline
{
    public static readonly DateTime CreatedAtBase = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly TimeSpan CreationInterval = TimeSpan.FromSeconds(7);

    /// <summary>No pristine stone was updated after this instant; mutations happen "later", at TimeProvider now.</summary>
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static long CreatedAtTicks(int index) => CreatedAtBase.Ticks + (index * CreationInterval.Ticks);
}
