using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Api.Authentication.Signing;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// HMAC request signing for keys created with <c>requireSignature: true</c> (ADR 0032): a correctly signed request passes; a
/// skewed, replayed, tampered or unsigned one gets the very 401 body of an unknown key.
/// </summary>
public sealed class RequestSigningTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Signed_requests_pass_and_skewed_replayed_tampered_or_unsigned_ones_get_the_bad_key_401()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var (token, secret) = await CreateSignedKeyAsync(api);
        var client = api.Factory.CreateClient();
        var badKeyBody = await ApiKeyCalls.UnauthorizedBodyAsync(api.Factory, "plat_not_a_key");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        (await SendAsync(client, SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, now))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var feed = """{"name":"signed feed","adapter":"simulator","config":{"baseUrl":"http://127.0.0.1:5090"}}""";
        (await SendAsync(client, SignedRequest(HttpMethod.Post, "/api/v1/feeds", token, secret, now, feed))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await SendAsync(client, SignedRequest(HttpMethod.Get, "/api/v1/runs?limit=5", token, secret, now))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Built right before sending (the clock matters): a slow machine must not turn a skewed request into a fresh one.
        static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var refused = new Dictionary<string, Func<HttpRequestMessage>>
        {
            ["unsigned"] = () => Unsigned(token),
            ["305 s old"] = () => SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, Now() - 305),
            ["305 s ahead"] = () => SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, Now() + 305),
            ["wrong secret"] = () => SignedRequest(HttpMethod.Get, "/api/v1/organization", token, Platform.Infrastructure.Tenancy.SigningSecrets.New(), Now()),
            ["tampered body"] = () => Tampered(SignedRequest(HttpMethod.Post, "/api/v1/feeds", token, secret, Now(), feed.Replace("signed feed", "other feed")),
                feed.Replace("signed feed", "evil feed")),
            ["tampered query"] = () => Retarget(SignedRequest(HttpMethod.Get, "/api/v1/runs?limit=5", token, secret, Now()), "/api/v1/runs?limit=50"),
            ["short nonce"] = () => SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, Now(), nonce: "abc"),
        };
        // A replay: the exact request that passed once, sent again within the window.
        var nonce = Guid.NewGuid().ToString("N");
        var replayedAt = Now();
        (await SendAsync(client, SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, replayedAt, nonce: nonce))).StatusCode.ShouldBe(HttpStatusCode.OK);
        refused["replayed"] = () => SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, replayedAt, nonce: nonce);

        foreach (var (name, request) in refused)
        {
            using var response = await SendAsync(client, request());
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, name);
            var body = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            body.Remove("traceId");
            body.ToJsonString().ShouldBe(badKeyBody, name);
        }
        // Nothing the refused requests asked for happened.
        var feeds = await api.ClientWith(api.A.AdminKey).GetFromJsonAsync<JsonElement>("/api/v1/feeds", Ct);
        feeds.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order().ShouldBe(["feed", "signed feed"]);
    }

    [Fact]
    public async Task A_nonce_used_on_one_api_host_is_refused_on_another_sharing_redis()
    {
        var settings = new Dictionary<string, string?> { ["ApiKeys:NonceKeyPrefix"] = $"test-nonce-{Guid.NewGuid():N}:" };
        await using var api = await TwoTenantApi.StartAsync(servers, settings);
        await using var second = new ApiFactory(api.Factory.DatabaseConnectionString, servers.Redis.ConnectionString, settings);
        var (token, secret) = await CreateSignedKeyAsync(api);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var nonce = Guid.NewGuid().ToString("N");

        (await SendAsync(api.Factory.CreateClient(), SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, now, nonce: nonce)))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(second.CreateClient(), SignedRequest(HttpMethod.Get, "/api/v1/organization", token, secret, now, nonce: nonce)))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_signing_secret_is_shown_once_stored_encrypted_and_rotation_issues_a_new_one()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "s2s", scopes = new[] { "pipeline:admin" }, requireSignature = true }, Ct);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = key.GetProperty("id").GetGuid();
        var secret = key.GetProperty("signingSecret").GetString()!;
        secret.Length.ShouldBe(43);
        key.GetProperty("requireSignature").GetBoolean().ShouldBeTrue();

        var listed = await admin.GetStringAsync("/api/v1/api-keys", Ct) + await admin.GetStringAsync($"/api/v1/api-keys/{id}", Ct)
            + await admin.GetStringAsync("/api/v1/audit-log", Ct);
        listed.ShouldNotContain(secret);
        listed.ShouldContain("\"requireSignature\":true");
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            (await connection.QuerySingleAsync<string>("SELECT k::text FROM api_keys k WHERE id = @id", new { id })).ShouldNotContain(secret);
            Encoding.UTF8.GetString(await connection.QuerySingleAsync<byte[]>("SELECT signing_secret FROM api_keys WHERE id = @id", new { id })).ShouldNotContain(secret);
        }

        var rotated = await (await admin.PostAsync($"/api/v1/api-keys/{id}/rotate", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var newSecret = rotated.GetProperty("signingSecret").GetString()!;
        newSecret.ShouldNotBe(secret);
        var client = api.Factory.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var newToken = rotated.GetProperty("key").GetString()!;
        (await SendAsync(client, SignedRequest(HttpMethod.Get, "/api/v1/runs", newToken, newSecret, now))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(client, SignedRequest(HttpMethod.Get, "/api/v1/runs", newToken, secret, now))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>Creates a <c>pipeline:admin</c> key of organization A that must sign; returns the key and its signing secret.</summary>
    internal static async Task<(string Token, string Secret)> CreateSignedKeyAsync(TwoTenantApi api)
    {
        using var created = await api.ClientWith(api.A.AdminKey).PostAsJsonAsync("/api/v1/api-keys",
            new { name = "server-to-server", scopes = new[] { "pipeline:admin" }, requireSignature = true }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (key.GetProperty("key").GetString()!, key.GetProperty("signingSecret").GetString()!);
    }

    /// <summary>A request signed as a client would: canonical string over method, path and query, timestamp, nonce and body hash.</summary>
    internal static HttpRequestMessage SignedRequest(HttpMethod method, string pathAndQuery, string token, string secret, long timestamp, string? body = null, string? nonce = null)
    {
        nonce ??= Guid.NewGuid().ToString("N");
        var bytes = Encoding.UTF8.GetBytes(body ?? "");
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        request.Headers.Add("X-API-Key", token);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.NonceHeader, nonce);
        request.Headers.Add(RequestSignature.SignatureHeader,
            RequestSignature.Sign(secret, RequestSignature.Canonical(method.Method, pathAndQuery, timestamp, nonce, bytes)));
        return request;
    }

    private static HttpRequestMessage Unsigned(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/organization");
        request.Headers.Add("X-API-Key", token);
        return request;
    }

    private static HttpRequestMessage Tampered(HttpRequestMessage request, string body)
    {
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    private static HttpRequestMessage Retarget(HttpRequestMessage request, string pathAndQuery)
    {
        request.RequestUri = new Uri(pathAndQuery, UriKind.Relative);
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            return await client.SendAsync(request, Ct);
        }
    }
}
