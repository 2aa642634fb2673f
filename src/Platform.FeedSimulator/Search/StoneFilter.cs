namespace Platform.FeedSimulator.Search;

/// <summary>
/// A parsed filter: price in cents over the half-open range [from, to), updatedAt ticks over the
/// closed range [from, to]. Absent bounds are the widest values. Also the key of memoized results.
/// </summary>
internal readonly record struct StoneFilter(
    long PriceFromCents,
    long PriceToCents,
    long UpdatedFromTicks,
    long UpdatedToTicks,
    bool? LabGrown)
{
    public static readonly StoneFilter Everything = new(long.MinValue, long.MaxValue, long.MinValue, long.MaxValue, null);

    /// <summary>Whether anything beyond the price range needs a look at each stone.</summary>
    public bool NeedsStoneScan => UpdatedFromTicks != long.MinValue || UpdatedToTicks != long.MaxValue || LabGrown is not null;

    public bool MatchesBeyondPrice(in StoneRecord stone) =>
        stone.UpdatedAtTicks >= UpdatedFromTicks
        && stone.UpdatedAtTicks <= UpdatedToTicks
        && (LabGrown is not { } labGrown || stone.LabGrown == labGrown);
}
