namespace Platform.FeedSimulator.Search;

/// <summary>
/// Counting and paging over one snapshot. Price narrows the catalogue by binary search; only
/// that slice is looked at for the other filters.
/// </summary>
internal static class CatalogueSearch
{
    public static int Count(CatalogueSnapshot snapshot, StoneFilter filter)
    {
        if (snapshot.FilterCache.TryGet(filter, out var cached))
        {
            return cached.Length;
        }
        var (start, end) = PriceSlice(snapshot, filter);
        if (!filter.NeedsStoneScan)
        {
            return end - start;
        }
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (filter.MatchesBeyondPrice(snapshot.Stones[snapshot.PriceOrder[i]]))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>All matching stone indices in createdAt order, memoized per filter for the snapshot's lifetime.</summary>
    public static int[] Matching(CatalogueSnapshot snapshot, StoneFilter filter)
    {
        if (snapshot.FilterCache.TryGet(filter, out var cached))
        {
            return cached;
        }
        var (start, end) = PriceSlice(snapshot, filter);
        var matches = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            var index = snapshot.PriceOrder[i];
            if (filter.MatchesBeyondPrice(snapshot.Stones[index]))
            {
                matches.Add(index);
            }
        }
        var ordered = matches.ToArray();
        Array.Sort(ordered);
        snapshot.FilterCache.Add(filter, ordered);
        return ordered;
    }

    public static ReadOnlySpan<int> Page(int[] matching, int offset, int limit) =>
        offset >= matching.Length
            ? []
            : matching.AsSpan(offset, Math.Min(limit, matching.Length - offset));

    private static (int Start, int End) PriceSlice(CatalogueSnapshot snapshot, StoneFilter filter)
    {
        var start = LowerBound(snapshot.SortedPriceCents, filter.PriceFromCents);
        var end = LowerBound(snapshot.SortedPriceCents, filter.PriceToCents);
        return (start, Math.Max(start, end));
    }

    /// <summary>The first position whose price is at least <paramref name="cents"/>.</summary>
    private static int LowerBound(int[] sortedCents, long cents)
    {
        if (cents <= int.MinValue)
        {
            return 0;
        }
        if (cents > int.MaxValue)
        {
            return sortedCents.Length;
        }
        var low = 0;
        var high = sortedCents.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (sortedCents[middle] < cents)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
