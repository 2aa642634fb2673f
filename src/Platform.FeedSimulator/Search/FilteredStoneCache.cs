namespace Platform.FeedSimulator.Search;

/// <summary>
/// A small LRU of filter → matching stone indices in createdAt order. A pipeline partition is
/// paged with one filter many times, so every page after the first is a slice copy.
/// </summary>
internal sealed class FilteredStoneCache
{
    public const int Capacity = 128;

    private readonly Lock gate = new();
    private readonly Dictionary<StoneFilter, LinkedListNode<(StoneFilter Filter, int[] Indices)>> entries = [];
    private readonly LinkedList<(StoneFilter Filter, int[] Indices)> recency = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(StoneFilter filter, out int[] indices)
    {
        lock (gate)
        {
            if (entries.TryGetValue(filter, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                indices = node.Value.Indices;
                return true;
            }
        }
        indices = [];
        return false;
    }

    public void Add(StoneFilter filter, int[] indices)
    {
        lock (gate)
        {
            if (entries.ContainsKey(filter))
            {
                return;
            }
            if (entries.Count >= Capacity && recency.Last is { } oldest)
            {
                entries.Remove(oldest.Value.Filter);
                recency.RemoveLast();
            }
            entries[filter] = recency.AddFirst((filter, indices));
        }
    }
}
