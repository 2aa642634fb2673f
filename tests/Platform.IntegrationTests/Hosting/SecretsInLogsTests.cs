using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Api.Authentication.Signing;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Hosting;

/// <summary>
/// The api as a real process, logging our own categories at Debug: after keys, signed requests (good and refused) and
/// feed credentials went through it, its log holds none of the keys, signing secrets, signatures or credentials.
/// </summary>
public sealed class SecretsInLogsTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_signing_secrets_signatures_and_feed_credentials_never_reach_the_log()
    {
        var database = await servers.CreateDatabaseAsync();
        DapperConventions.Apply();
        await using var dataSource = database.CreateDataSource();
        var tenant = await TestTenant.CreateAsync(dataSource, new ApiKeyStore(dataSource, TimeProvider.System), "org-secret-logs");
        const string credentials = "supplier-pa55word-that-must-not-leak";
        var secrets = new List<string> { tenant.AdminKey, tenant.ReaderKey, credentials };
        string logPath;
        await using (var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-secret-logs",
            new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Platform"] = "Debug",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            }))
        {
            logPath = api.LogPath;
            using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
            http.DefaultRequestHeaders.Add("X-API-Key", tenant.AdminKey);
            using var keyResponse = await http.PostAsJsonAsync("/api/v1/api-keys", new { name = "s2s", scopes = new[] { "pipeline:admin" }, requireSignature = true }, Ct);
            keyResponse.StatusCode.ShouldBe(HttpStatusCode.Created);
            var key = await keyResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var (token, signingSecret) = (key.GetProperty("key").GetString()!, key.GetProperty("signingSecret").GetString()!);
            secrets.AddRange([token, signingSecret]);

            var feed = new { name = "logged feed", adapter = "nivoda-graphql", config = new { endpoint = "https://nivoda.test/api", username = "u" }, credentials };
            (await http.PostAsJsonAsync("/api/v1/feeds", feed, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

            using var signedClient = new HttpClient { BaseAddress = new Uri(api.Url) };
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            foreach (var (timestamp, secret, expected) in new[] { (now, signingSecret, HttpStatusCode.OK), (now - 1000, signingSecret, HttpStatusCode.Unauthorized), (now, "wrong", HttpStatusCode.Unauthorized) })
            {
                using var request = RequestSigningTests.SignedRequest(HttpMethod.Get, "/api/v1/runs", token, secret, timestamp);
                secrets.Add(request.Headers.GetValues(RequestSignature.SignatureHeader).Single());
                (await signedClient.SendAsync(request, Ct)).StatusCode.ShouldBe(expected);
            }
        }

        var log = await File.ReadAllTextAsync(logPath, Ct);
        log.ShouldContain("/api/v1/feeds", customMessage: "requests were logged at all");
        log.ShouldContain("refused", customMessage: "the refused signatures were logged (without their values)");
        foreach (var secret in secrets)
        {
            log.ShouldNotContain(secret);
        }
        log.ShouldNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(credentials)), Case.Insensitive);
    }
}
