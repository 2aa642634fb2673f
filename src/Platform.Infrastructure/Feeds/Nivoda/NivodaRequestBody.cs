using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// Request bodies <c>{"operationName", "query", "variables"}</c>, written once per call and re-sent unchanged by
/// retries. Our half-open price range [min, max) becomes Nivoda's inclusive whole-dollar
/// <c>dollar_value {from: min, to: max − 1}</c>; the updated window is inclusive on both sides, as ours is.
/// </summary>
internal static class NivodaRequestBody
{
    public static byte[] Authenticate(string username, string password) => Write(NivodaQueries.AuthenticateName, NivodaQueries.Authenticate, writer =>
    {
        writer.WriteString("username", username);
        writer.WriteString("password", password);
    });

    public static byte[] Count(string token, FeedQuery query) => Write(NivodaQueries.CountName, NivodaQueries.Count, writer =>
    {
        writer.WriteString("token", token);
        WriteQuery(writer, query);
    });

    public static byte[] Search(string token, FeedQuery query, int offset, int limit) => Write(NivodaQueries.SearchName, NivodaQueries.Search, writer =>
    {
        writer.WriteString("token", token);
        WriteQuery(writer, query);
        writer.WriteNumber("offset", offset);
        writer.WriteNumber("limit", limit);
        // createdAt ascending is Nivoda's stable order: offsets keep pointing at the same stones during a run.
        writer.WriteStartObject("order");
        writer.WriteString("type", "createdAt");
        writer.WriteString("direction", "ASC");
        writer.WriteEndObject();
    });

    /// <summary>Whole dollars, because Nivoda's <c>dollar_value</c> is an integer range; clamped to GraphQL's 32-bit Int.</summary>
    public static (int From, int To) DollarValue(FeedQuery query) =>
        (WholeDollars(query.MinPrice), WholeDollars(query.MaxPrice) - 1);

    private static int WholeDollars(decimal price) =>
        (int)Math.Clamp(decimal.Ceiling(price), 0m, int.MaxValue);

    private static void WriteQuery(Utf8JsonWriter writer, FeedQuery query)
    {
        var (from, to) = DollarValue(query);
        writer.WriteStartObject("query");
        writer.WriteStartObject("dollar_value");
        writer.WriteNumber("from", from);
        writer.WriteNumber("to", to);
        writer.WriteEndObject();
        writer.WriteStartObject("updated");
        writer.WriteString("from", Instant(query.UpdatedFrom, roundUp: false));
        writer.WriteString("to", Instant(query.UpdatedTo, roundUp: true));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Milliseconds, as JavaScript servers parse them; rounded outwards so the window never shrinks.</summary>
    private static string Instant(DateTimeOffset value, bool roundUp)
    {
        var utc = value.UtcDateTime;
        var remainder = utc.Ticks % TimeSpan.TicksPerMillisecond;
        if (remainder != 0)
        {
            utc = utc.AddTicks(roundUp ? TimeSpan.TicksPerMillisecond - remainder : -remainder);
        }
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private static byte[] Write(string operationName, JsonEncodedText document, Action<Utf8JsonWriter> writeVariables)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("operationName", operationName);
            writer.WriteString("query", document);
            writer.WriteStartObject("variables");
            writeVariables(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
