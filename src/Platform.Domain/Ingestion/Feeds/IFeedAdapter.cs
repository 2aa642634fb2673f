namespace Platform.Domain.Ingestion.Feeds;

/// <summary>
/// What the pipeline needs of a supplier, whatever its API: trustworthy counts (the heatmap partitions by
/// price with them), pages in a stable order, identity extraction and mapping to the catalog model.
/// One instance serves one feed; it is created from the feed's row by an <see cref="IFeedAdapterFactory"/>.
/// </summary>
public interface IFeedAdapter
{
    /// <summary>The adapter kind stored in <c>feeds.adapter</c>, e.g. <c>simulator</c>.</summary>
    string Kind { get; }

    /// <summary>The largest page the supplier serves (50 for Nivoda and the simulator).</summary>
    int MaxPageSize { get; }

    /// <summary>The page size runs use unless the feed overrides it (30).</summary>
    int DefaultPageSize { get; }

    Task<long> CountAsync(FeedQuery query, CancellationToken cancellationToken);

    /// <summary>One page ordered by the supplier's creation time ascending, so offsets stay stable during a run.</summary>
    Task<FeedPage> SearchAsync(FeedQuery query, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Maps a stored payload to the catalog model; throws <see cref="FeedMappingException"/> when it cannot.</summary>
    DiamondDraft Map(RawStone stone);
}

/// <summary>Builds the adapter for a feed from its stored definition.</summary>
public interface IFeedAdapterFactory
{
    IFeedAdapter Create(FeedDefinition feed);
}

/// <summary>A feed as stored: the adapter kind, its JSON config and its limits.</summary>
public sealed record FeedDefinition(Guid Id, Guid OrgId, string Adapter, string ConfigJson, string? SecretRef, int PageSize, int MaxPageSize, decimal UpstreamRps);

/// <summary>A supplier payload that cannot be mapped; the row is marked failed, the rest of the batch goes on.</summary>
public sealed class FeedMappingException(string message, Exception? inner = null) : Exception(message, inner);
