using Platform.FeedSimulator.Search;

namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// An immutable state of the catalogue. A mutation builds a new snapshot and swaps it in whole,
/// so a request that took a snapshot never sees half a mutation. Its filter cache lives and dies
/// with it, which is what invalidates memoized pages.
/// </summary>
internal sealed class CatalogueSnapshot
{
    private CatalogueSnapshot(int seed, StoneRecord[] stones, int[] priceOrder, int[] sortedPrices, long generation)
    {
        Seed = seed;
        Stones = stones;
        PriceOrder = priceOrder;
        SortedPriceCents = sortedPrices;
        Generation = generation;
    }

    public int Seed { get; }

    public long Generation { get; }

    public int Size => Stones.Length;

    /// <summary>Stones by index; index order is createdAt order.</summary>
    public StoneRecord[] Stones { get; }

    /// <summary>Stone indices sorted by (price, index), so a price range is two binary searches.</summary>
    public int[] PriceOrder { get; }

    /// <summary>The prices of <see cref="PriceOrder"/>, kept apart for cache-friendly binary search.</summary>
    public int[] SortedPriceCents { get; }

    public FilteredStoneCache FilterCache { get; } = new();

    public static CatalogueSnapshot Create(int seed, StoneRecord[] stones, long generation)
    {
        var keys = new long[stones.Length];
        for (var i = 0; i < stones.Length; i++)
        {
            keys[i] = ((long)stones[i].PriceCents << 32) | (uint)i;
        }
        Array.Sort(keys);
        var order = new int[keys.Length];
        var prices = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            order[i] = (int)(keys[i] & uint.MaxValue);
            prices[i] = (int)(keys[i] >> 32);
        }
        return new CatalogueSnapshot(seed, stones, order, prices, generation);
    }

    /// <summary>The same stones under a new generation, e.g. when only availability changed.</summary>
    public CatalogueSnapshot WithStones(StoneRecord[] stones, long generation, bool pricesChanged) =>
        pricesChanged
            ? Create(Seed, stones, generation)
            : new CatalogueSnapshot(Seed, stones, PriceOrder, SortedPriceCents, generation);
}
