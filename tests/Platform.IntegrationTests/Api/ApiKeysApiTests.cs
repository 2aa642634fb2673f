using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Domain.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>The api-keys routes: create (shown once), list, get, rotate with grace, revoke; validation, limits and tenancy.</summary>
public sealed class ApiKeysApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_key_is_shown_once_works_with_its_scopes_only_and_is_listed_without_the_secret()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);

        using var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ci reader", scopes = new[] { "catalog:read" } }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetGuid();
        var token = created.GetProperty("key").GetString()!;
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/api-keys/{id}");
        ApiKeyToken.IsWellFormed(token).ShouldBeTrue();
        created.GetProperty("prefix").GetString().ShouldBe(token[..9]);
        created.GetProperty("last4").GetString().ShouldBe(token[^4..]);
        created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["catalog:read"]);
        created.GetProperty("expiresAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var key = api.ClientWith(token);
        (await key.GetAsync("/api/v1/diamonds", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await key.GetAsync("/api/v1/runs", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await key.GetAsync("/api/v1/api-keys", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");

        var list = await admin.GetStringAsync("/api/v1/api-keys", Ct);
        var one = await admin.GetStringAsync($"/api/v1/api-keys/{id}", Ct);
        foreach (var body in new[] { list, one })
        {
            body.ShouldNotContain(token);
            body.ShouldNotContain(token[9..^4]);
            body.ShouldNotContain("\"key\"");
            body.ShouldNotContain("hash", Case.Insensitive);
        }
        var items = JsonSerializer.Deserialize<JsonElement>(list).GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("name").GetString()).ShouldBe(["ci reader", "reader", "admin"]);
        var got = JsonSerializer.Deserialize<JsonElement>(one);
        got.GetProperty("name").GetString().ShouldBe("ci reader");
        got.GetProperty("createdBy").GetString().ShouldBe($"key:{await ApiKeyCalls.KeyIdAsync(admin)}");
        got.GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_revoked_key_gets_the_same_401_as_an_unknown_key_and_a_second_revoke_changes_nothing()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        var created = await ApiKeyCalls.CreateAsync(admin, "temp", ["catalog:read"]);
        var id = created.GetProperty("id").GetGuid();
        var token = created.GetProperty("key").GetString()!;
        (await ApiKeyCalls.StatusWithAsync(api.Factory, token)).ShouldBe(HttpStatusCode.OK);

        await ApiKeyCalls.RevokeAsync(admin, id);
        await ApiKeyCalls.RevokeAsync(admin, id);

        // Immediately: the revoking instance evicts its own cache before it answers.
        (await ApiKeyCalls.UnauthorizedBodyAsync(api.Factory, token)).ShouldBe(await ApiKeyCalls.UnauthorizedBodyAsync(api.Factory, ApiKeyToken.Generate()));
        var got = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{id}", Ct);
        got.GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys", Ct);
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldNotContain(id);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'api_key.revoked' AND target_id = @id", new { id = id.ToString() }))
            .ShouldBe(1);
    }

    [Fact]
    public async Task A_key_past_its_expiry_gets_the_same_401_as_an_unknown_key_even_while_cached()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var token = (await ApiKeyCalls.CreateAsync(admin, "short-lived", ["catalog:read"], expiresAt)).GetProperty("key").GetString()!;
        (await ApiKeyCalls.StatusWithAsync(api.Factory, token)).ShouldBe(HttpStatusCode.OK);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200), Ct);

        // Cached 30 s by default, but the cache knows the expiry.
        (await ApiKeyCalls.UnauthorizedBodyAsync(api.Factory, token)).ShouldBe(await ApiKeyCalls.UnauthorizedBodyAsync(api.Factory, ApiKeyToken.Generate()));
    }

    [Fact]
    public async Task After_a_rotation_both_keys_work_during_the_grace_period_and_the_old_one_cannot_be_rotated_again()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        var old = await ApiKeyCalls.CreateAsync(admin, "rotating", ["catalog:read", "pipeline:admin"], DateTimeOffset.UtcNow.AddDays(30));
        var oldId = old.GetProperty("id").GetGuid();
        var oldToken = old.GetProperty("key").GetString()!;
        (await ApiKeyCalls.StatusWithAsync(api.Factory, oldToken)).ShouldBe(HttpStatusCode.OK);

        var rotated = await ApiKeyCalls.RotateAsync(admin, oldId);

        var newToken = rotated.GetProperty("key").GetString()!;
        newToken.ShouldNotBe(oldToken);
        rotated.GetProperty("name").GetString().ShouldBe("rotating");
        rotated.GetProperty("rotatedFromId").GetGuid().ShouldBe(oldId);
        rotated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["catalog:read", "pipeline:admin"]);
        rotated.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(old.GetProperty("expiresAt").GetDateTimeOffset());
        (await ApiKeyCalls.StatusWithAsync(api.Factory, oldToken)).ShouldBe(HttpStatusCode.OK);
        (await ApiKeyCalls.StatusWithAsync(api.Factory, newToken)).ShouldBe(HttpStatusCode.OK);
        var oldView = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{oldId}", Ct);
        var graceHours = (oldView.GetProperty("graceUntil").GetDateTimeOffset() - oldView.GetProperty("revokedAt").GetDateTimeOffset()).TotalHours;
        graceHours.ShouldBe(24, tolerance: 0.001);
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys", Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid());
        listed.ShouldContain(oldId);

        await (await admin.PostAsync($"/api/v1/api-keys/{oldId}/rotate", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "API_KEY_INACTIVE");

        // Revoking a key in its grace period ends the grace at once.
        await ApiKeyCalls.RevokeAsync(admin, oldId);
        (await ApiKeyCalls.StatusWithAsync(api.Factory, oldToken)).ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiKeyCalls.StatusWithAsync(api.Factory, newToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_no_grace_period_a_rotated_key_stops_at_once()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["ApiKeys:RotationGraceHours"] = "0" });
        var admin = api.ClientWith(api.A.AdminKey);
        var old = await ApiKeyCalls.CreateAsync(admin, "rotating", ["catalog:read"]);
        var oldToken = old.GetProperty("key").GetString()!;
        (await ApiKeyCalls.StatusWithAsync(api.Factory, oldToken)).ShouldBe(HttpStatusCode.OK);

        var rotated = await ApiKeyCalls.RotateAsync(admin, old.GetProperty("id").GetGuid());

        (await ApiKeyCalls.StatusWithAsync(api.Factory, oldToken)).ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiKeyCalls.StatusWithAsync(api.Factory, rotated.GetProperty("key").GetString()!)).ShouldBe(HttpStatusCode.OK);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"scopes":["catalog:read"]}""", "name" },
        { """{"name":"   ","scopes":["catalog:read"]}""", "name" },
        { $$"""{"name":"{{new string('n', 101)}}","scopes":["catalog:read"]}""", "name" },
        { """{"name":"a\u0000b","scopes":["catalog:read"]}""", "name" },
        { """{"name":"k"}""", "scopes" },
        { """{"name":"k","scopes":[]}""", "scopes" },
        { """{"name":"k","scopes":["catalog:read","root"]}""", "scopes" },
        { """{"name":"k","scopes":["platform:admin"]}""", "scopes" },
        { """{"name":"k","scopes":[null]}""", "scopes" },
        { """{"name":"k","scopes":["catalog:read"],"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_create_requests_are_field_errors(string body, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        using var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        await response.ShouldFailValidationOnAsync(field);
    }

    [Fact]
    public async Task An_organization_cannot_hold_more_unrevoked_keys_than_the_limit()
    {
        // The tenant starts with two keys (admin and reader).
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["ApiKeys:MaxKeysPerOrganization"] = "3" });
        var admin = api.ClientWith(api.A.AdminKey);
        var third = await ApiKeyCalls.CreateAsync(admin, "third", ["catalog:read"]);

        var problem = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "fourth", scopes = new[] { "catalog:read" } }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "API_KEY_LIMIT_REACHED");

        problem.GetProperty("detail").GetString()!.ShouldContain("3");
        await ApiKeyCalls.RevokeAsync(admin, third.GetProperty("id").GetGuid());
        await ApiKeyCalls.CreateAsync(admin, "fourth", ["catalog:read"]);
        (await api.ClientWith(api.B.AdminKey).PostAsJsonAsync("/api/v1/api-keys", new { name = "b", scopes = new[] { "catalog:read" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_organizations_key_ids_answer_404_on_every_route_and_the_key_keeps_working()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var created = await ApiKeyCalls.CreateAsync(api.ClientWith(api.A.AdminKey), "a-key", ["catalog:read"]);
        var id = created.GetProperty("id").GetGuid();
        var b = api.ClientWith(api.B.AdminKey);

        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/api/v1/api-keys/{id}"), (HttpMethod.Post, $"/api/v1/api-keys/{id}/rotate"), (HttpMethod.Delete, $"/api/v1/api-keys/{id}") })
        {
            var problem = await (await b.SendAsync(new HttpRequestMessage(method, path), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
            problem.GetRawText().ShouldNotContain(id.ToString());
        }
        (await b.GetFromJsonAsync<JsonElement>("/api/v1/api-keys", Ct)).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("name").GetString()).ShouldBe(["reader", "admin"]);
        (await ApiKeyCalls.StatusWithAsync(api.Factory, created.GetProperty("key").GetString()!)).ShouldBe(HttpStatusCode.OK);
        var stored = await api.ClientWith(api.A.AdminKey).GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{id}", Ct);
        stored.GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Keys_without_admin_cannot_manage_keys()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var allButAdmin = await ApiKeyCalls.CreateAsync(api.ClientWith(api.A.AdminKey), "operator", ["catalog:read", "catalog:write", "pipeline:admin", "webhooks:manage"]);
        var client = api.ClientWith(allButAdmin.GetProperty("key").GetString()!);

        await (await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalate", scopes = new[] { "admin" } }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.DeleteAsync($"/api/v1/api-keys/{allButAdmin.GetProperty("id").GetGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.GetAsync("/api/v1/audit-log", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Theory]
    [InlineData("ApiKeys:CacheSeconds", "0", "ApiKeys:CacheSeconds")]
    [InlineData("ApiKeys:FallbackCacheSeconds", "40", "ApiKeys:FallbackCacheSeconds")]
    [InlineData("ApiKeys:RevocationChannel", "", "ApiKeys:RevocationChannel")]
    [InlineData("ApiKeys:RotationGraceHours", "-1", "ApiKeys:RotationGraceHours")]
    [InlineData("ApiKeys:UsageFlushSeconds", "0", "ApiKeys:UsageFlushSeconds")]
    [InlineData("ApiKeys:MaxKeysPerOrganization", "1001", "ApiKeys:MaxKeysPerOrganization")]
    public async Task Bad_api_key_settings_stop_the_start_and_name_the_setting(string key, string value, string expected)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?> { [key] = value });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain(expected);
    }
}
