using Platform.Domain.Catalog.History;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Api.GraphQl.Batching;

/// <summary>The page of price history one <c>priceHistory(first, after)</c> field asks for: <c>Take</c> is first + 1.</summary>
public readonly record struct PriceHistoryKey(Guid DiamondId, int Take, PriceHistoryPosition? After);

/// <summary>
/// The batch loaders of one GraphQL request (scoped to the HTTP request, so nothing is cached across requests or callers).
/// Every nested lookup of the schema goes through one of these: <c>feed</c> of diamonds, <c>partitions</c> of runs and
/// <c>priceHistory</c> of diamonds, so a page of 100 stones costs one statement per nested field, not 100.
/// </summary>
public sealed class GraphQlLoaders(FeedQueries feeds, RunQueries runs, DiamondQueries diamonds)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Name, Guid OrgId), object> _loaders = [];

    public BatchLoader<Guid, FeedView> Feeds(Guid orgId) => Get(nameof(Feeds), orgId, () => new BatchLoader<Guid, FeedView>(async (ids, ct) =>
        (await feeds.FindManyAsync(orgId, ids, ct)).ToDictionary(feed => feed.Id)));

    public BatchLoader<Guid, IReadOnlyList<PartitionView>> Partitions(Guid orgId) => Get(nameof(Partitions), orgId, () =>
        new BatchLoader<Guid, IReadOnlyList<PartitionView>>(async (ids, ct) =>
            (await runs.PartitionsOfAsync(orgId, ids, ct))
            .GroupBy(row => row.RunId)
            .ToDictionary(group => group.Key, IReadOnlyList<PartitionView> (group) => [.. group.Select(row => row.Partition)])));

    /// <summary>One statement per distinct (first, after) among the keys: in a list of diamonds that is one.</summary>
    public BatchLoader<PriceHistoryKey, IReadOnlyList<PriceHistoryEntry>> PriceHistory(Guid orgId) => Get(nameof(PriceHistory), orgId, () =>
        new BatchLoader<PriceHistoryKey, IReadOnlyList<PriceHistoryEntry>>(async (keys, ct) =>
        {
            var pages = new Dictionary<PriceHistoryKey, IReadOnlyList<PriceHistoryEntry>>();
            foreach (var group in keys.GroupBy(key => (key.Take, key.After)))
            {
                var found = await diamonds.PriceHistoryOfAsync(orgId, [.. group.Select(key => key.DiamondId)], group.Key.Take, group.Key.After, ct);
                foreach (var key in group)
                {
                    pages[key] = [.. found[key.DiamondId]];
                }
            }
            return pages;
        }));

    private BatchLoader<TKey, TValue> Get<TKey, TValue>(string name, Guid orgId, Func<BatchLoader<TKey, TValue>> create) where TKey : notnull
    {
        lock (_gate)
        {
            if (!_loaders.TryGetValue((name, orgId), out var loader))
            {
                _loaders[(name, orgId)] = loader = create();
            }
            return (BatchLoader<TKey, TValue>)loader;
        }
    }
}
