using Microsoft.Net.Http.Headers;

namespace Platform.Api.GraphQl;

/// <summary>The response media types of GraphQL over HTTP, and the choice between them from the Accept header.</summary>
public static class GraphQlMediaTypes
{
    public const string GraphQlResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// The best acceptable type, or null when the client accepts neither (406). During the spec's "watershed" period a
    /// request without Accept, or accepting anything, gets <c>application/json</c>, the type legacy clients understand.
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return Json;
        }
        foreach (var type in types.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1))
        {
            var name = type.MediaType.Value ?? "";
            if (name.Equals(GraphQlResponse, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQlResponse;
            }
            if (name.Equals(Json, StringComparison.OrdinalIgnoreCase) || name is "*/*" || name.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return Json;
            }
        }
        return null;
    }

    /// <summary>POST bodies must be JSON; a charset other than UTF-8 is refused rather than misread.</summary>
    public static bool IsJsonBody(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && string.Equals(type.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Value is null || type.Charset.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
