using System.ComponentModel;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.Apis.Diamonds;

/// <summary>A page of <c>GET /diamonds</c>. <c>total</c> is exact up to 10 000, an estimate (at least 10 001) beyond.</summary>
/// <remarks>Immutable, so the in-process cache hands out the instance instead of deserializing a copy per hit.</remarks>
[ImmutableObject(true)]
public sealed record DiamondList(IReadOnlyList<DiamondView> Items, string? NextCursor, long Total, bool TotalIsEstimate);

/// <summary>Body of <c>POST /diamonds:batchGet</c>. Ids are read as strings so that each bad one is reported by index.</summary>
public sealed record BatchGetRequest(IReadOnlyList<string?>? Ids);

/// <summary>The stones found, in request order, and the requested ids that are not in the caller's catalog.</summary>
public sealed record DiamondBatch(IReadOnlyList<DiamondView> Items, IReadOnlyList<Guid> NotFound);

public sealed record PriceHistoryPage(IReadOnlyList<PriceHistoryEntry> Items, string? NextCursor);
