using System.Globalization;
using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>The simulator's query string: price half-open [priceFrom, priceTo), updatedAt inclusive, instants in UTC with Z.</summary>
internal static class SimulatorRequests
{
    public static Uri Count(Uri baseUrl, FeedQuery query) =>
        new(baseUrl, string.Create(CultureInfo.InvariantCulture, $"api/v1/diamonds/count?{Filter(query)}"));

    public static Uri Search(Uri baseUrl, FeedQuery query, int offset, int limit) =>
        new(baseUrl, string.Create(CultureInfo.InvariantCulture, $"api/v1/diamonds?{Filter(query)}&offset={offset}&limit={limit}"));

    public static Uri Holds(Uri baseUrl) => new(baseUrl, "api/v1/holds");

    public static Uri Orders(Uri baseUrl) => new(baseUrl, "api/v1/orders");

    private static string Filter(FeedQuery query) => string.Create(CultureInfo.InvariantCulture,
        $"priceFrom={query.MinPrice}&priceTo={query.MaxPrice}&updatedFrom={Instant(query.UpdatedFrom)}&updatedTo={Instant(query.UpdatedTo)}");

    private static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
