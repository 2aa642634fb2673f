namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// Applies a mutation to a copy of the stones. Which stones change, and how, depends only on the
/// current state and the mutation seed, so a catalogue is a function of (seed, size, mutation list).
/// </summary>
internal static class CatalogueMutator
{
    private const double MinPriceChange = 0.01;
    private const double PriceChangeSpread = 0.19;

    public static (StoneRecord[] Stones, List<int> Changed) Apply(
        StoneRecord[] current, CatalogueMutation mutation, DateTimeOffset now)
    {
        var random = new Random(mutation.Seed);
        var chosen = ChooseDistinct(random, current.Length, ChangeCount(current.Length, mutation.Fraction));
        var stones = (StoneRecord[])current.Clone();
        var changed = new List<int>();
        for (var index = 0; index < stones.Length; index++)
        {
            if (!chosen[index])
            {
                continue;
            }
            var stone = stones[index];
            if (mutation.ChangesPrice)
            {
                stone = stone with { PriceCents = ChangedPrice(random, stone.PriceCents) };
            }
            if (mutation.ChangesAvailability)
            {
                stone = stone with { Availability = ChangedAvailability(random, stone.Availability) };
            }
            // A stone cannot be updated before it exists, even under a fake clock set in the past.
            stones[index] = stone with { UpdatedAtTicks = Math.Max(now.UtcTicks, CatalogueTimeline.CreatedAtTicks(index)) };
            changed.Add(index);
        }
        return (stones, changed);
    }

    public static int ChangeCount(int size, double fraction) =>
        (int)Math.Min(size, Math.Round(size * fraction, MidpointRounding.AwayFromZero));

    /// <summary>Floyd's sampling: exactly <paramref name="count"/> distinct indices without shuffling the whole range.</summary>
    private static bool[] ChooseDistinct(Random random, int size, int count)
    {
        var chosen = new bool[size];
        for (var j = size - count; j < size; j++)
        {
            var candidate = random.Next(j + 1);
            chosen[chosen[candidate] ? j : candidate] = true;
        }
        return chosen;
    }

    private static int ChangedPrice(Random random, int cents)
    {
        var change = MinPriceChange + (random.NextDouble() * PriceChangeSpread);
        var up = random.Next(2) == 0;
        var candidate = Math.Round(cents * (up ? 1 + change : 1 - change));
        // Turn around at the catalogue's price bounds rather than clamp, so the price always changes.
        if (candidate < StonePriceModel.MinPriceCents || candidate >= StonePriceModel.MaxPriceCentsExclusive)
        {
            candidate = Math.Round(cents * (up ? 1 - change : 1 + change));
        }
        return (int)candidate;
    }

    private static byte ChangedAvailability(Random random, byte availability) =>
        availability != StoneAvailability.Available
            ? StoneAvailability.Available
            : random.Next(2) == 0 ? StoneAvailability.OnHold : StoneAvailability.Sold;
}
