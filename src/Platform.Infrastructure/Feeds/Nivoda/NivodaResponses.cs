using System.Globalization;
using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Mapping;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>A session token and when Nivoda says it stops working.</summary>
internal sealed record NivodaToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>Reads the <c>data</c> of Nivoda's answers: the session token, a count, a page of items.</summary>
internal static class NivodaResponses
{
    /// <summary>Diamond Opus assumes 6 h; used when <c>expires</c> is absent or unreadable.</summary>
    public static readonly TimeSpan AssumedTokenLifetime = TimeSpan.FromHours(6);

    public static NivodaToken ReadToken(JsonDocument document, DateTimeOffset now)
    {
        var session = NivodaGraphQl.Data(document, "authenticate", "authenticate", "username_and_password");
        if (!session.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String || token.GetString() is not { Length: > 0 } value)
        {
            throw new UpstreamResponseException("Nivoda authenticate answer has no 'token'.");
        }
        var expiresAt = session.TryGetProperty("expires", out var expires) ? ExpiryOf(expires) : null;
        return new NivodaToken(value, expiresAt is { } at && at > now ? at : now + AssumedTokenLifetime);
    }

    public static long ReadCount(JsonDocument document)
    {
        var count = NivodaGraphQl.Data(document, "count", "as", "diamonds_by_query_count");
        return count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var value) && value >= 0
            ? value
            : throw new UpstreamResponseException("Nivoda count answer's 'diamonds_by_query_count' is not a non-negative integer.");
    }

    /// <summary>
    /// Identity: the stone is <c>diamond.id</c>, the offer (what holds and orders name) is the item's <c>id</c>.
    /// The item carries no update time, so <see cref="RawStone.SourceUpdatedAt"/> is the query's frozen
    /// <see cref="FeedQuery.UpdatedTo"/>: the stone matched <c>updated ≤ UpdatedTo</c>, so it is a true upper bound.
    /// </summary>
    public static FeedPage ReadPage(JsonDocument document, FeedQuery query)
    {
        var items = NivodaGraphQl.Data(document, "search", "as", "diamonds_by_query", "items");
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamResponseException("Nivoda search answer's 'items' is not an array.");
        }
        var stones = new RawStone[items.GetArrayLength()];
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            stones[index] = ReadStone(item, index, query.UpdatedTo);
            index++;
        }
        return new FeedPage(stones);
    }

    private static RawStone ReadStone(JsonElement item, int position, DateTimeOffset updatedTo)
    {
        var source = $"Nivoda search item {position}";
        try
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FeedMappingException($"{source} is a JSON {item.ValueKind}, not an object.");
            }
            var diamond = PayloadFields.RequiredObject(item, "diamond", source);
            return new RawStone(
                PayloadFields.RequiredString(diamond, "id", source + " diamond"),
                PayloadFields.OptionalString(item, "id", source),
                updatedTo,
                item.GetRawText());
        }
        catch (FeedMappingException unreadable)
        {
            // A stone without identity cannot be stored, and skipping it would end the partition early.
            throw new UpstreamResponseException($"Nivoda search answer is unusable: {unreadable.Message}", unreadable);
        }
    }

    /// <summary>Epoch milliseconds or seconds (by magnitude), or an ISO-8601 string.</summary>
    private static DateTimeOffset? ExpiryOf(JsonElement expires) => expires.ValueKind switch
    {
        JsonValueKind.Number when expires.TryGetInt64(out var epoch) => FromEpoch(epoch),
        JsonValueKind.String when long.TryParse(expires.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) => FromEpoch(epoch),
        JsonValueKind.String when DateTimeOffset.TryParse(expires.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };

    private static DateTimeOffset? FromEpoch(long epoch) => epoch switch
    {
        > 100_000_000_000 and < 10_000_000_000_000 => DateTimeOffset.FromUnixTimeMilliseconds(epoch),
        > 0 and < 100_000_000_000 => DateTimeOffset.FromUnixTimeSeconds(epoch),
        _ => null,
    };
}
