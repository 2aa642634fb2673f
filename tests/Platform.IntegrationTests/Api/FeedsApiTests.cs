using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The feeds API (PLATFORM §6) over a real Postgres: write-only credentials encrypted at rest, config checked by the
/// adapter, the plan's maxFeeds enforced under concurrency, audit without secrets.
/// </summary>
public sealed class FeedsApiTests(PlatformServers servers)
{
    private const string Secret = "n1v0da-P@ssw0rd-never-in-clear";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object NivodaFeed(string name = "nivoda main", string? credentials = Secret) => new
    {
        name, adapter = "nivoda-graphql", config = new { endpoint = "https://nivoda.test/api/diamonds", username = "retailer" },
        scheduleCron = "0 */6 * * *", pageSize = 40, upstreamRps = 1.5m, credentials,
    };

    [Fact]
    public async Task Credentials_are_stored_encrypted_never_returned_and_decrypt_only_for_the_worker()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        using var created = await client.PostAsJsonAsync("/api/v1/feeds", NivodaFeed(), Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.Content.ReadAsStringAsync(Ct);
        var feed = JsonSerializer.Deserialize<JsonElement>(body);
        var id = feed.GetProperty("id").GetGuid();
        created.Headers.Location!.ToString().ShouldBe($"/api/v1/feeds/{id}");
        feed.GetProperty("hasCredentials").GetBoolean().ShouldBeTrue();
        feed.TryGetProperty("credentials", out _).ShouldBeFalse();
        feed.GetProperty("pageSize").GetInt32().ShouldBe(40);
        feed.GetProperty("scheduleCron").GetString().ShouldBe("0 */6 * * *");
        feed.GetProperty("config").GetProperty("username").GetString().ShouldBe("retailer");

        var reads = new[]
        {
            body, await client.GetStringAsync($"/api/v1/feeds/{id}", Ct), await client.GetStringAsync("/api/v1/feeds", Ct),
            await client.GetStringAsync("/api/v1/audit-log", Ct),
        };
        reads.ShouldAllBe(text => !text.Contains(Secret));
        (await client.GetStringAsync("/api/v1/audit-log", Ct)).ShouldContain("feed.created");

        // The row: a ciphertext naming the key, no plaintext anywhere in the row or in the audit table.
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var stored = await connection.QuerySingleAsync<byte[]>("SELECT credentials FROM feeds WHERE id = @id", new { id });
        stored.Length.ShouldBeGreaterThan(Secret.Length + 28);
        Encoding.ASCII.GetString(stored, 2, stored[1]).ShouldBe(TestSecrets.KeyId);
        Encoding.UTF8.GetString(stored).ShouldNotContain(Secret);
        (await connection.QuerySingleAsync<string>("SELECT f::text FROM feeds f WHERE id = @id", new { id })).ShouldNotContain(Secret);
        (await connection.QuerySingleAsync<string>("SELECT string_agg(a::text, ' ') FROM audit_log a")).ShouldNotContain(Secret);

        // What the worker's adapter gets when it authenticates: the plaintext, via the same resolver.
        var resolver = api.Factory.Services.GetRequiredService<IFeedSecretResolver>();
        (await resolver.ResolveAsync(id, secretRef: null, Ct)).ShouldBe(Secret);
        // Copied onto another feed's row, the ciphertext does not decrypt (the feed id is its associated data).
        await connection.ExecuteAsync("UPDATE feeds SET credentials = @stored WHERE id = @other", new { stored, other = api.A.FeedId });
        await Should.ThrowAsync<Platform.Infrastructure.Feeds.FeedConfigurationException>(async () => await resolver.ResolveAsync(api.A.FeedId, null, Ct));
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_keeps_or_removes_credentials_and_audits_before_and_after()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var id = (await (await client.PostAsJsonAsync("/api/v1/feeds", NivodaFeed(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var renamed = await client.PatchAsJsonAsync($"/api/v1/feeds/{id}", new { name = "renamed", enabled = false, scheduleCron = "" }, Ct);
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await renamed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        after.GetProperty("name").GetString().ShouldBe("renamed");
        after.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        after.GetProperty("scheduleCron").ValueKind.ShouldBe(JsonValueKind.Null);
        after.GetProperty("pageSize").GetInt32().ShouldBe(40);
        after.GetProperty("hasCredentials").GetBoolean().ShouldBeTrue();
        var resolver = api.Factory.Services.GetRequiredService<IFeedSecretResolver>();
        (await resolver.ResolveAsync(id, null, Ct)).ShouldBe(Secret);

        (await client.PatchAsJsonAsync($"/api/v1/feeds/{id}", new { credentials = "rotated-supplier-password" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await resolver.ResolveAsync(id, null, Ct)).ShouldBe("rotated-supplier-password");
        var removed = await (await client.PatchAsJsonAsync($"/api/v1/feeds/{id}", new { credentials = "" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        removed.GetProperty("hasCredentials").GetBoolean().ShouldBeFalse();
        await Should.ThrowAsync<Platform.Infrastructure.Feeds.FeedConfigurationException>(async () => await resolver.ResolveAsync(id, null, Ct));

        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var audit = (await connection.QueryAsync<(string Action, string? Before, string After)>(
            "SELECT action, before::text, after::text FROM audit_log WHERE target_id = @id ORDER BY id", new { id = id.ToString() })).ToList();
        audit.Select(a => a.Action).ShouldBe(["feed.created", "feed.updated", "feed.updated", "feed.updated"]);
        audit[1].Before!.ShouldContain("\"nivoda main\"");
        audit[1].After.ShouldContain("\"renamed\"");
        audit[1].After.ShouldContain("\"credentialsChanged\": false");
        audit[2].After.ShouldContain("\"credentialsChanged\": true");
        string.Join(' ', audit.Select(a => a.Before + a.After)).ShouldNotContain("rotated-supplier-password");
    }

    [Fact]
    public async Task Invalid_feeds_are_refused_with_every_field_named_and_nothing_stored()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        await (await client.PostAsJsonAsync("/api/v1/feeds", new { }, Ct)).ShouldFailValidationOnAsync("name", "adapter", "config");
        await (await client.PostAsJsonAsync("/api/v1/feeds", new
        {
            name = new string('x', 201), adapter = "csv-ftp", config = new { }, scheduleCron = "every tuesday", upstreamRps = 0, credentials = new string('c', 4097),
        }, Ct)).ShouldFailValidationOnAsync("name", "adapter", "scheduleCron", "upstreamRps", "credentials");
        await (await client.PostAsJsonAsync("/api/v1/feeds", new { name = "n", adapter = "nivoda-graphql", config = new { endpoint = "ftp://x" }, pageSize = 51 }, Ct))
            .ShouldFailValidationOnAsync("config");
        await (await client.PostAsJsonAsync("/api/v1/feeds", new { name = "n", adapter = "simulator", config = new { baseUrl = "http://127.0.0.1:5090" }, pageSize = 51 }, Ct))
            .ShouldFailValidationOnAsync("pageSize");
        var secretInConfig = await client.PostAsJsonAsync("/api/v1/feeds", new
        {
            name = "n", adapter = "nivoda-graphql", config = new { endpoint = "https://nivoda.test/api", username = "u", password = "oops" },
        }, Ct);
        var problem = await secretInConfig.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.GetProperty("errors").GetProperty("config")[0].GetString()!.ShouldContain("credentials");
        problem.GetRawText().ShouldNotContain("oops");
        await (await client.PostAsJsonAsync("/api/v1/feeds", new { name = "n", adapter = "simulator", config = "[]" }, Ct)).ShouldFailValidationOnAsync("config");
        foreach (var config in (string[])["{\"baseUrl\": \"http://127.0.0.1:5090\", \"x\": \"\\u0000\"}", "{\"baseUrl\": \"http://127.0.0.1:5090\", \"x\": \"\\ud800\"}"])
        {
            using var body = new StringContent($"{{\"name\": \"n\", \"adapter\": \"simulator\", \"config\": {config}}}", Encoding.UTF8, "application/json");
            var response = await client.PostAsync("/api/v1/feeds", body, Ct);
            ((int)response.StatusCode).ShouldBeLessThan(500, config);
            await response.ShouldFailValidationOnAsync("config");
        }
        await (await client.PatchAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}", new { adapter = "nivoda-graphql" }, Ct)).ShouldFailValidationOnAsync("adapter");
        await (await client.PostAsJsonAsync("/api/v1/feeds", NivodaFeed(name: "feed"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "FEED_NAME_TAKEN");
        await (await client.PatchAsJsonAsync($"/api/v1/feeds/{Guid.NewGuid()}", new { name = "x" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/feeds", Ct);
        list.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldBe(["feed"]);
    }

    [Fact]
    public async Task Concurrent_creations_stop_exactly_at_the_plans_max_feeds_with_409()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            // The tenant has one feed; the operator's override allows three.
            await connection.ExecuteAsync("UPDATE organizations SET max_feeds_override = 3 WHERE id = @OrgId", new { api.A.OrgId });
        }
        var client = api.ClientWith(api.A.AdminKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsJsonAsync("/api/v1/feeds", NivodaFeed(name: $"feed {i}"), Ct)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(2);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "FEED_LIMIT_REACHED");
            problem.GetProperty("maxFeeds").GetInt32().ShouldBe(3);
        }
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/feeds", Ct)).GetProperty("items").GetArrayLength().ShouldBe(3);
        // Another organization's budget is its own.
        (await api.ClientWith(api.B.AdminKey).PostAsJsonAsync("/api/v1/feeds", NivodaFeed(), Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_organizations_feeds_are_never_listed()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        (await api.ClientWith(api.A.AdminKey).PostAsJsonAsync("/api/v1/feeds", NivodaFeed(name: "only a's"), Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var list = await api.ClientWith(api.B.AdminKey).GetFromJsonAsync<JsonElement>("/api/v1/feeds", Ct);

        list.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ShouldBe([api.B.FeedId]);
    }
}
