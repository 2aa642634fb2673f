using Platform.FeedSimulator.Search;

namespace Platform.FeedSimulator.Tests.Search;

public sealed class FilteredStoneCacheTests
{
    private static StoneFilter Filter(int i) => new(i * 100, (i + 1) * 100, long.MinValue, long.MaxValue, null);

    [Fact]
    public void Holds_more_filters_than_a_large_run_has_partitions()
    {
        var cache = new FilteredStoneCache();
        for (var i = 0; i < 1_000; i++)
        {
            cache.Add(Filter(i), [i]);
        }

        cache.Count.ShouldBe(1_000);
        cache.TryGet(Filter(0), out var first).ShouldBeTrue();
        first.ShouldBe([0]);
    }

    [Fact]
    public void Evicts_the_least_recently_used_filters_when_the_indices_would_exceed_the_bound()
    {
        var cache = new FilteredStoneCache();
        var half = new int[FilteredStoneCache.MaxIndices / 2];
        cache.Add(Filter(1), half);
        cache.Add(Filter(2), half);
        cache.TryGet(Filter(1), out _).ShouldBeTrue(); // 1 is now the most recently used

        cache.Add(Filter(3), new int[10]);

        cache.TryGet(Filter(2), out _).ShouldBeFalse();
        cache.TryGet(Filter(1), out _).ShouldBeTrue();
        cache.TryGet(Filter(3), out _).ShouldBeTrue();
    }

    [Fact]
    public void Does_not_cache_a_filter_wider_than_the_bound()
    {
        var cache = new FilteredStoneCache();
        cache.Add(Filter(1), new int[FilteredStoneCache.MaxIndices + 1]);

        cache.Count.ShouldBe(0);
    }
}
