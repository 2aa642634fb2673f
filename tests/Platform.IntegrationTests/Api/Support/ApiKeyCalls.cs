using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>The api-keys routes as tests use them.</summary>
internal static class ApiKeyCalls
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a key and returns the 201 body (with the secret in <c>key</c>).</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient admin, string name, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes, expiresAt }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<JsonElement> RotateAsync(HttpClient admin, Guid id)
    {
        using var response = await admin.PostAsync($"/api/v1/api-keys/{id}/rotate", null, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task RevokeAsync(HttpClient admin, Guid id)
    {
        using var response = await admin.DeleteAsync($"/api/v1/api-keys/{id}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    /// <summary>The id of the key a client sends (from "who am I").</summary>
    public static async Task<Guid> KeyIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/organization", Ct)).GetProperty("key").GetProperty("id").GetGuid();

    /// <summary>The status of <c>GET /api/v1/organization</c> with <paramref name="key"/>: 200 for a working key, 401 otherwise.</summary>
    public static async Task<HttpStatusCode> StatusWithAsync(ApiFactory api, string key)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        using var response = await client.GetAsync("/api/v1/organization", Ct);
        return response.StatusCode;
    }

    /// <summary>A 401 body without its per-request members, to compare the answers to different bad keys.</summary>
    public static async Task<string> UnauthorizedBodyAsync(ApiFactory api, string key)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        using var response = await client.GetAsync("/api/v1/organization", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var body = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        body.Remove("traceId");
        return body.ToJsonString();
    }
}
