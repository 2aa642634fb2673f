namespace Platform.Domain.Catalog.Paging;

/// <summary>
/// Where a page of a diamond search ended: the last row's sort key and id. The key is a <see cref="decimal"/>
/// (price, carats), a <see cref="DateTimeOffset"/> (createdAt) or an <see cref="int"/> grade rank (color, clarity).
/// </summary>
public sealed record DiamondPosition(object Key, Guid Id);
