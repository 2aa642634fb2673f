using System.Net.Http.Headers;
using System.Text.Json;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// One GraphQL exchange: POST the body, check the HTTP status, then the <c>errors</c> array a GraphQL server puts in a
/// 200 answer, and hand back the parsed document (the caller disposes it).
/// </summary>
internal static class NivodaGraphQl
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<JsonDocument> PostAsync(
        HttpClient client, Uri endpoint, byte[] body, string operation, bool isAuthentication, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        using var response = await UpstreamHttp.SendAsync(client, request, $"Nivoda {operation}", timeProvider, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException invalid)
        {
            throw new UpstreamResponseException($"Nivoda {operation} answer is not valid JSON ({invalid.Message}).", invalid);
        }
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var failure = NivodaErrors.From(errors, operation, isAuthentication);
            document.Dispose();
            throw failure;
        }
        return document;
    }

    /// <summary>Walks <c>data.…</c> down <paramref name="path"/>, or fails naming the first missing step.</summary>
    public static JsonElement Data(JsonDocument document, string operation, params ReadOnlySpan<string> path)
    {
        var current = document.RootElement;
        var walked = "data";
        if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty("data", out current))
        {
            throw new UpstreamResponseException($"Nivoda {operation} answer has no 'data'.");
        }
        foreach (var step in path)
        {
            walked += "." + step;
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current) || current.ValueKind == JsonValueKind.Null)
            {
                throw new UpstreamResponseException($"Nivoda {operation} answer has no '{walked}'.");
            }
        }
        return current;
    }
}
