using System.Globalization;
using Platform.Domain.Catalog.Paging;

namespace Platform.Domain.Catalog.History;

/// <summary>Where a page of price history ended: the last entry's time and id (ids break ties of equal times).</summary>
public sealed record PriceHistoryPosition(DateTimeOffset ChangedAt, long Id);

/// <summary>Signed cursors over <see cref="PriceHistoryPosition"/>, scoped by <see cref="PriceHistoryQuery.Scope"/>.</summary>
public sealed class PriceHistoryCursor(CursorCodec codec)
{
    public string Encode(string scope, PriceHistoryPosition position) =>
        codec.Encode(scope, [position.ChangedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), position.Id.ToString(CultureInfo.InvariantCulture)]);

    public PriceHistoryPosition? Decode(string scope, string token) =>
        codec.Decode(scope, token, 2) is [var ticks, var id]
        && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks) && utcTicks <= DateTimeOffset.MaxValue.UtcTicks
        && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var entryId)
            ? new PriceHistoryPosition(new DateTimeOffset(utcTicks, TimeSpan.Zero), entryId)
            : null;
}
