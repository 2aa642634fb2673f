namespace Platform.FeedSimulator.Search;

/// <summary>
/// A small LRU of filter → matching stone indices in createdAt order. A pipeline partition is
/// paged with one filter many times, so every page after the first is a slice copy. A run cycles
/// through all its partitions' filters (hundreds), so the entry limit must exceed that or every page
/// recomputes its filter; the index limit bounds memory when filters are wide.
/// </summary>
internal sealed class FilteredStoneCache
{
    public const int Capacity = 2_048;

    /// <summary>Stone indices held over all entries: 4 M × 4 bytes = 16 MB at most.</summary>
    public const int MaxIndices = 4_000_000;

    private int heldIndices;

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
            if (indices.Length > MaxIndices)
            {
                return;
            }
            while ((entries.Count >= Capacity || heldIndices + indices.Length > MaxIndices) && recency.Last is { } oldest)
            {
                entries.Remove(oldest.Value.Filter);
                heldIndices -= oldest.Value.Indices.Length;
                recency.RemoveLast();
            }
            entries[filter] = recency.AddFirst((filter, indices));
            heldIndices += indices.Length;
        }
    }
}
