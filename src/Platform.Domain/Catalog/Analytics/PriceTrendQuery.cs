using Platform.Domain.Catalog.Reading;
using Platform.Domain.Catalog.Search;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Analytics;

public enum TrendInterval
{
    Day,
    Week,
}

/// <summary>
/// <c>GET /analytics/price-trends</c>: price changes of the stones the search's filters select, bucketed by day or week
/// over <c>[from, to)</c>. The window defaults to the last 30 days and may span at most <see cref="MaxDays"/> days, so
/// one answer has at most that many buckets.
/// </summary>
public sealed record PriceTrendQuery(DiamondSearchCriteria Criteria, TrendInterval Interval, DateTimeOffset From, DateTimeOffset To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public static (PriceTrendQuery Query, FieldErrors Errors) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var filters = SearchFilterQuery.Parse(query, ["interval", "from", "to"], ["sort", "order", "limit", "cursor"],
            "Price trends answer every bucket of the window at once; there is nothing to sort or page.", errors);
        var read = new QueryStringReader(filters.Own, errors);
        var interval = read.OneOf("interval", ["day", "week"]) == "week" ? TrendInterval.Week : TrendInterval.Day;
        var to = read.Timestamp("to") ?? now;
        var from = read.Timestamp("from") ?? to.AddDays(-DefaultDays);
        if (from >= to)
        {
            errors.Add("from", "Must be before to.");
        }
        else if (to - from > TimeSpan.FromDays(MaxDays))
        {
            errors.Add("from", $"The window may span at most {MaxDays} days.");
        }
        return (new PriceTrendQuery(filters.Criteria, interval, from, to), errors);
    }
}
