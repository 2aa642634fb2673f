using System.Text.Json;

namespace Platform.Api.GraphQl;

/// <summary>
/// The parameters of one GraphQL-over-HTTP request, read from a JSON body (POST) or the query string (GET), or the
/// reason it is malformed. Malformed requests are 400 for both media types: they never reach the GraphQL engine.
/// </summary>
public sealed record GraphQlRequest(string Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions)
{
    public static async Task<(GraphQlRequest? Request, string? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object with 'query' and optionally 'operationName', 'variables' and 'extensions'.");
            }
            var root = document.RootElement;
            return From(
                root.TryGetProperty("query", out var query) ? query.Clone() : null,
                root.TryGetProperty("operationName", out var name) ? name.Clone() : null,
                root.TryGetProperty("variables", out var variables) ? variables.Clone() : null,
                root.TryGetProperty("extensions", out var extensions) ? extensions.Clone() : null);
        }
    }

    public static (GraphQlRequest? Request, string? Problem) ReadQueryString(HttpRequest request)
    {
        static JsonElement? Text(string? value) => value is null ? null : JsonSerializer.SerializeToElement(value);
        static (JsonElement? Value, string? Problem) Json(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return (null, null);
            }
            try
            {
                using var document = JsonDocument.Parse(value);
                return (document.RootElement.Clone(), null);
            }
            catch (JsonException)
            {
                return (null, $"'{name}' must be URL-encoded JSON.");
            }
        }

        var query = request.Query;
        var (variables, variablesProblem) = Json("variables", query["variables"]);
        var (extensions, extensionsProblem) = Json("extensions", query["extensions"]);
        if ((variablesProblem ?? extensionsProblem) is { } problem)
        {
            return (null, problem);
        }
        return From(Text(query["query"]), Text(query["operationName"]), variables, extensions);
    }

    private static (GraphQlRequest? Request, string? Problem) From(JsonElement? query, JsonElement? operationName, JsonElement? variables, JsonElement? extensions)
    {
        if (query is not { ValueKind: JsonValueKind.String } text || text.GetString() is not { Length: > 0 } document)
        {
            return (null, "'query' is required and must be a non-empty string.");
        }
        if (operationName is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
        {
            return (null, "'operationName' must be a string or null.");
        }
        if (variables is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return (null, "'variables' must be an object or null.");
        }
        if (extensions is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return (null, "'extensions' must be an object or null.");
        }
        return (new GraphQlRequest(
            document,
            operationName is { ValueKind: JsonValueKind.String } name ? name.GetString() : null,
            variables is { ValueKind: JsonValueKind.Object } ? variables : null,
            extensions is { ValueKind: JsonValueKind.Object } ? extensions : null), null);
    }
}
