using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Mapping;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>
/// Reads the simulator's answers. A page keeps each stone's JSON object verbatim (its raw text) as the payload and
/// extracts only the identity; the mapping happens later, in consolidation.
/// </summary>
internal static class SimulatorResponses
{
    public static async Task<long> ReadCountAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(response, "count", cancellationToken);
        return document.RootElement.TryGetProperty("count", out var count) && count.TryGetInt64(out var value) && value >= 0
            ? value
            : throw new UpstreamResponseException("Simulator count answer has no non-negative 'count'.");
    }

    public static async Task<FeedPage> ReadPageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(response, "search", cancellationToken);
        if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamResponseException("Simulator search answer has no 'items' array.");
        }
        var stones = new RawStone[items.GetArrayLength()];
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            stones[index] = ReadStone(item, index);
            index++;
        }
        return new FeedPage(stones);
    }

    public static async Task<SupplierHold> ReadHoldAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(response, "hold", cancellationToken);
        var root = document.RootElement;
        return root.TryGetProperty("holdId", out var id) && id.GetString() is { Length: > 0 } holdId
            ? new SupplierHold(holdId, root.TryGetProperty("holdUntil", out var until) && until.TryGetDateTimeOffset(out var end) ? end : null)
            : throw new UpstreamResponseException("Simulator hold answer has no 'holdId'.");
    }

    public static async Task<SupplierOrder> ReadOrderAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(response, "order", cancellationToken);
        return document.RootElement.TryGetProperty("orderId", out var id) && id.GetString() is { Length: > 0 } orderId
            ? new SupplierOrder(orderId)
            : throw new UpstreamResponseException("Simulator order answer has no 'orderId'.");
    }

    private static RawStone ReadStone(JsonElement item, int position)
    {
        try
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FeedMappingException($"item {position} is a JSON {item.ValueKind}, not an object.");
            }
            var source = $"Simulator search item {position}";
            return new RawStone(
                PayloadFields.RequiredString(item, "id", source),
                PayloadFields.OptionalString(item, "offerId", source),
                PayloadFields.RequiredInstant(item, "updatedAt", source),
                item.GetRawText());
        }
        catch (FeedMappingException unreadable)
        {
            // Without an identity the stone cannot be stored, and skipping it would shorten the page and end the
            // partition early: the whole page fails instead.
            throw new UpstreamResponseException($"Simulator search answer is unusable: {unreadable.Message}", unreadable);
        }
    }

    private static async Task<JsonDocument> ParseAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            var document = await JsonDocument.ParseAsync(body, default, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new UpstreamResponseException($"Simulator {operation} answer is not a JSON object.");
            }
            return document;
        }
        catch (JsonException invalid)
        {
            throw new UpstreamResponseException($"Simulator {operation} answer is not valid JSON ({invalid.Message}).", invalid);
        }
    }
}
