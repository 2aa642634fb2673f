using System.Net;
using System.Text.Json;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;
using Platform.ServiceDefaults.Logging;

namespace Platform.IntegrationTests.Hosting;

/// <summary>The api's console log is JSON lines with service, level, trace ids and scopes, and carries no key or secret.</summary>
public sealed class StructuredLogTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_of_authenticated_calls_are_json_lines_with_trace_ids_caller_scopes_and_no_secrets()
    {
        var database = await servers.CreateDatabaseAsync();
        DapperConventions.Apply();
        await using var dataSource = database.CreateDataSource();
        var tenant = await TestTenant.CreateAsync(dataSource, new ApiKeyStore(dataSource, TimeProvider.System), "org-logs");
        string logPath;
        await using (var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-structured-logs",
            // Request logs at Information, so requests (and their query strings) reach the log.
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information", ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information" }))
        {
            logPath = api.LogPath;
            using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
            using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/organization");
            keyed.Headers.Add("X-API-Key", tenant.AdminKey);
            (await http.SendAsync(keyed, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/diamonds?limit=5");
            bearer.Headers.Add("Authorization", $"Bearer {tenant.ReaderKey}");
            (await http.SendAsync(bearer, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            // A client that puts its key where it does not belong: the request line is logged, the key must not be.
            (await http.GetAsync($"/api/v1/status?api_key={tenant.AdminKey}&token=s3cr3t-value", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync("/api/v1/organization", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var lines = (await File.ReadAllLinesAsync(logPath, Ct)).Where(line => line.Length > 0 && !line.StartsWith("---- ", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBeGreaterThan(5);
        var entries = lines.Select(line => JsonSerializer.Deserialize<JsonElement>(line)).ToList();
        foreach (var entry in entries)
        {
            entry.GetProperty("service").GetString().ShouldBe("Platform.Api");
            entry.GetProperty("timestamp").GetString().ShouldNotBeNullOrEmpty();
            entry.GetProperty("level").GetString().ShouldNotBeNullOrEmpty();
            entry.GetProperty("category").GetString().ShouldNotBeNullOrEmpty();
        }
        var requestLines = entries.Where(entry => entry.GetProperty("message").GetString()!.Contains("/api/v1/", StringComparison.Ordinal)).ToList();
        requestLines.ShouldNotBeEmpty();
        requestLines.ShouldAllBe(entry => entry.GetProperty("traceId").GetString()!.Length == 32 && entry.GetProperty("spanId").GetString()!.Length == 16);

        // After authentication every line of the request names the caller's organization and key id (scopes).
        var endpointLines = entries.Where(entry => entry.GetProperty("category").GetString() == "Microsoft.AspNetCore.Routing.EndpointMiddleware").ToList();
        AssertCallerScopes(endpointLines, "/api/v1/organization", tenant.OrgId, tenant.AdminKeyId);
        AssertCallerScopes(endpointLines, "/api/v1/diamonds", tenant.OrgId, tenant.ReaderKeyId);
        var anonymous = endpointLines.Where(entry => RequestPath(entry) == "/api/v1/status").ToList();
        anonymous.ShouldNotBeEmpty();
        foreach (var entry in anonymous)
        {
            entry.GetProperty("scopes").TryGetProperty("ApiKeyId", out _).ShouldBeFalse(entry.ToString());
        }

        var text = string.Join('\n', lines);
        text.ShouldNotContain(tenant.AdminKey);
        text.ShouldNotContain(tenant.ReaderKey);
        text.ShouldNotContain(tenant.AdminKey[5..15]);
        text.ShouldNotContain("s3cr3t-value");
        text.ShouldContain(SecretRedactor.Mask, customMessage: "the request line with the key was logged, redacted");
    }

    private static void AssertCallerScopes(List<JsonElement> entries, string path, Guid orgId, Guid keyId)
    {
        var request = entries.Where(entry => RequestPath(entry) == path).ToList();
        request.ShouldNotBeEmpty($"endpoint lines of {path}");
        foreach (var entry in request)
        {
            var scopes = entry.GetProperty("scopes");
            scopes.GetProperty("OrganizationId").GetString().ShouldBe(orgId.ToString(), entry.ToString());
            scopes.GetProperty("ApiKeyId").GetString().ShouldBe(keyId.ToString(), entry.ToString());
        }
    }

    private static string? RequestPath(JsonElement entry) =>
        entry.TryGetProperty("scopes", out var scopes) && scopes.TryGetProperty("RequestPath", out var path) ? path.GetString() : null;

    [Theory]
    [InlineData("GET /x?api_key=plat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab", "GET /x?api_key=[redacted]")]
    [InlineData("key plat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab used", "key plat_[redacted] used")]
    [InlineData("Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer [redacted]")]
    [InlineData("Host=db;Username=platform;Password=hunter2;Database=x", "Host=db;Username=platform;Password=[redacted];Database=x")]
    [InlineData("signature=abc123&ts=1", "signature=[redacted]&ts=1")]
    [InlineData("{\"client_secret\": \"xyz\"}", "{\"client_secret\": \"[redacted]\"}")]
    [InlineData("Processed 50 pages of run 0197", "Processed 50 pages of run 0197")]
    public void The_redactor_removes_keys_tokens_passwords_and_signatures(string text, string expected) =>
        SecretRedactor.Redact(text).ShouldBe(expected);
}
