using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds.Mapping;

/// <summary>
/// Reads supplier JSON fields and fails with a <see cref="FeedMappingException"/> that names the source and the field,
/// so a bad row in <c>raw_items</c> says what is wrong with it.
/// </summary>
internal static class PayloadFields
{
    public static JsonDocument Parse(string json, string source)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            var kind = document.RootElement.ValueKind;
            if (kind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FeedMappingException($"{source}: the payload is a JSON {kind}, not an object.");
            }
            return document;
        }
        catch (JsonException invalid)
        {
            throw new FeedMappingException($"{source}: the payload is not valid JSON ({invalid.Message}).", invalid);
        }
    }

    public static JsonElement RequiredObject(JsonElement parent, string name, string source) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw Missing(source, name, "an object");

    public static JsonElement? OptionalObject(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public static string RequiredString(JsonElement parent, string name, string source) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Missing(source, name, "a non-empty string");

    public static string? OptionalString(JsonElement parent, string name, string source)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: > 0 } text ? text : null
            : throw Missing(source, name, "a string or null");
    }

    public static string? OptionalCode(JsonElement parent, string name, string source) =>
        OptionalString(parent, name, source)?.Trim().ToUpperInvariant();

    public static decimal RequiredDecimal(JsonElement parent, string name, string source) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : throw Missing(source, name, "a number");

    public static bool? OptionalBoolean(JsonElement parent, string name, string source)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Missing(source, name, "true, false or null"),
        };
    }

    public static DateTimeOffset RequiredInstant(JsonElement parent, string name, string source) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var instant)
            ? instant
            : throw Missing(source, name, "an ISO-8601 timestamp");

    private static FeedMappingException Missing(string source, string name, string expected) =>
        new($"{source}: field '{name}' is missing or not {expected}.");
}
