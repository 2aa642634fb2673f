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
        var to = read.Timestamp("to") ?? EndOfMinute(now);
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

    /// <summary>
    /// The default end of the window: the next whole minute, which still covers everything up to now (the window is
    /// half-open and history is never in the future), so every default request of a minute is the same query and
    /// shares one cache entry instead of making a new key per call. New history bumps the dataset version anyway.
    /// </summary>
    private static DateTimeOffset EndOfMinute(DateTimeOffset now)
    {
        var minute = TimeSpan.TicksPerMinute;
        return new DateTimeOffset((now.UtcTicks / minute + 1) * minute, TimeSpan.Zero);
    }
}
