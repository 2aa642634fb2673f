using System.Globalization;
using Platform.Domain.Catalog.Search;

namespace Platform.Domain.Catalog.Paging;

/// <summary>Page cursors of <c>GET /diamonds</c>: a <see cref="DiamondPosition"/> signed for one organization and one search.</summary>
public sealed class DiamondCursor(CursorCodec codec)
{
    public string Encode(Guid orgId, DiamondSearchCriteria criteria, DiamondPosition position) => EncoderFor(orgId, criteria)(position);

    /// <summary>Encodes positions of one search: its scope is built once, not once per cursor (a GraphQL page signs one per edge).</summary>
    public Func<DiamondPosition, string> EncoderFor(Guid orgId, DiamondSearchCriteria criteria)
    {
        var scope = Scope(orgId, criteria);
        return position => codec.Encode(scope, [FormatKey(position.Key), position.Id.ToString("N")]);
    }

    /// <summary>The position, or null when the cursor is malformed, altered, or was issued for another organization or search.</summary>
    public DiamondPosition? Decode(Guid orgId, DiamondSearchCriteria criteria, string token)
    {
        if (codec.Decode(Scope(orgId, criteria), token, 2) is not [var key, var id] || !Guid.TryParseExact(id, "N", out var guid))
        {
            return null;
        }
        return ParseKey(criteria.Sort, key) is { } value ? new DiamondPosition(value, guid) : null;
    }

    private static string Scope(Guid orgId, DiamondSearchCriteria criteria) => $"org={orgId:N}|{criteria.Fingerprint()}";

    /// <summary>Invariant text that reads back to exactly the same value; timestamps as UTC ticks (Postgres keeps microseconds).</summary>
    private static string FormatKey(object key) => key switch
    {
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcTicks.ToString(CultureInfo.InvariantCulture),
        int rank => rank.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Unsupported sort key type {key.GetType().Name}.", nameof(key)),
    };

    private static object? ParseKey(DiamondSort sort, string text) => sort switch
    {
        DiamondSort.Price or DiamondSort.Carats =>
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null,
        DiamondSort.CreatedAt =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null,
        _ => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rank) ? rank : null,
    };
}
