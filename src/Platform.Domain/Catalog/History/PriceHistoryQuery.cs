using Platform.Domain.Catalog.Reading;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.History;

/// <summary>A page of one diamond's price changes, newest first, in the half-open window [<see cref="From"/>, <see cref="To"/>).</summary>
public sealed record PriceHistoryQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static readonly IReadOnlyList<string> Parameters = ["from", "to", "limit", "cursor"];

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = DefaultLimit;
    public string? Cursor { get; init; }

    public static (PriceHistoryQuery Query, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query)
    {
        var errors = new FieldErrors();
        var read = new QueryStringReader(query, errors);
        read.RejectUnknown(Parameters);
        var parsed = new PriceHistoryQuery
        {
            From = read.Timestamp("from"),
            To = read.Timestamp("to"),
            Limit = read.WholeNumber("limit", 1, MaxLimit) ?? DefaultLimit,
            // Any length up to a sanity bound: a bad cursor is reported as INVALID_CURSOR by the codec, not as a field error.
            Cursor = read.Text("cursor", maxLength: int.MaxValue),
        };
        if (parsed.From >= parsed.To)
        {
            errors.Add("from", "Must be before 'to'.");
        }
        return (parsed, errors);
    }

    /// <summary>What a cursor is signed over: the organization, the diamond and the window.</summary>
    public string Scope(Guid orgId, Guid diamondId) =>
        $"price-history/v1|org={orgId:N}|diamond={diamondId:N}|from={From?.UtcTicks}|to={To?.UtcTicks}";
}
