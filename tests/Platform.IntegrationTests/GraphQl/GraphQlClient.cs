using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>Sends GraphQL-over-HTTP requests to <c>/graphql</c> and reads the status, media type and JSON body.</summary>
internal static class GraphQlClient
{
    public const string GraphQlResponse = "application/graphql-response+json";

    public sealed record Response(HttpStatusCode Status, string? MediaType, JsonElement Body, HttpResponseMessage Message)
    {
        public JsonElement Data => Body.GetProperty("data");

        /// <summary>The first error's message ("" when there is none).</summary>
        public string FirstMessage => Body.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
            ? errors[0].GetProperty("message").GetString() ?? ""
            : "";

        public IReadOnlyList<string?> Codes => Body.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString())]
            : [];
    }

    public static Task<Response> PostAsync(HttpClient client, string query, object? variables = null, string accept = GraphQlResponse) =>
        SendAsync(client, HttpMethod.Post, JsonSerializer.Serialize(new { query, variables }), "application/json", accept);

    public static async Task<Response> SendAsync(HttpClient client, HttpMethod method, string? body, string? contentType, string? accept, string path = "/graphql")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
        return new Response(response.StatusCode, response.Content.Headers.ContentType?.MediaType, json, response);
    }

    public static Task<Response> GetAsync(HttpClient client, string query, string accept = GraphQlResponse) =>
        SendAsync(client, HttpMethod.Get, null, null, accept, "/graphql?query=" + Uri.EscapeDataString(query));
}
