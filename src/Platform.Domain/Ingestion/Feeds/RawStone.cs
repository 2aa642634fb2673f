namespace Platform.Domain.Ingestion.Feeds;

/// <summary>
/// One supplier record as fetched: its identity, when the supplier last changed it, and the payload kept
/// verbatim (JSON) in <c>raw_items</c> so consolidation can map it later, and re-map it after a bug fix.
/// </summary>
public sealed record RawStone(string SupplierStoneId, string? OfferId, DateTimeOffset SourceUpdatedAt, string PayloadJson);

/// <summary>One page of a search, in the supplier's stable order (createdAt ascending).</summary>
public sealed record FeedPage(IReadOnlyList<RawStone> Items);
