using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Key changes write audit entries (actor, before/after without secrets, ip, trace id); the audit-log route filters and pages them per organization.</summary>
public sealed class AuditLogApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_rotating_and_revoking_a_key_write_entries_with_actor_ip_trace_and_no_secret()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        var adminId = await ApiKeyCalls.KeyIdAsync(admin);
        var created = await ApiKeyCalls.CreateAsync(admin, "audited", ["catalog:read"]);
        var id = created.GetProperty("id").GetGuid();
        var rotated = await ApiKeyCalls.RotateAsync(admin, id);
        await ApiKeyCalls.RevokeAsync(admin, rotated.GetProperty("id").GetGuid());

        var body = await admin.GetStringAsync("/api/v1/audit-log?targetType=api_key", Ct);

        foreach (var secret in new[] { created.GetProperty("key").GetString()!, rotated.GetProperty("key").GetString()! })
        {
            body.ShouldNotContain(secret);
            body.ShouldNotContain(secret[9..^4]);
        }
        var items = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("action").GetString()).ShouldBe(["api_key.revoked", "api_key.rotated", "api_key.created"]);
        items.Select(i => i.GetProperty("targetId").GetString()).ShouldBe([rotated.GetProperty("id").GetString(), id.ToString(), id.ToString()]);
        foreach (var item in items)
        {
            item.GetProperty("actor").GetString().ShouldBe($"key:{adminId}");
            item.GetProperty("targetType").GetString().ShouldBe("api_key");
            item.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        }
        var (revoked, rotation, creation) = (items[0], items[1], items[2]);
        creation.GetProperty("before").ValueKind.ShouldBe(JsonValueKind.Null);
        creation.GetProperty("after").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["catalog:read"]);
        creation.GetProperty("after").GetProperty("last4").GetString().ShouldBe(created.GetProperty("last4").GetString());
        rotation.GetProperty("before").GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        rotation.GetProperty("after").GetProperty("old").GetProperty("graceUntil").ValueKind.ShouldBe(JsonValueKind.String);
        rotation.GetProperty("after").GetProperty("replacement").GetProperty("id").GetString().ShouldBe(rotated.GetProperty("id").GetString());
        revoked.GetProperty("before").GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        revoked.GetProperty("after").GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Over_real_http_key_and_pricing_rule_entries_record_the_callers_ip()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var tenant = await TestTenant.CreateAsync(dataSource, new Platform.Infrastructure.Tenancy.ApiKeyStore(dataSource, TimeProvider.System), "org-a");
        await using var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-audit-ip");
        using var admin = new HttpClient { BaseAddress = new Uri(api.Url) };
        admin.DefaultRequestHeaders.Add("X-API-Key", tenant.AdminKey);

        await ApiKeyCalls.CreateAsync(admin, "from-afar", ["catalog:read"]);
        await PricingRulesApiTests.CreateIdAsync(admin, new { priority = 1, markupRatio = 1.1m });

        var entries = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit-log", Ct)).GetProperty("items").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("action").GetString()).ShouldBe(["pricing_rule.created", "api_key.created"]);
        foreach (var entry in entries)
        {
            entry.GetProperty("ip").GetString().ShouldBe("127.0.0.1");
            entry.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        }
    }

    [Fact]
    public async Task Pages_follow_the_cursor_through_every_entry_once_and_filters_combine()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        for (var i = 0; i < 4; i++)
        {
            await ApiKeyCalls.CreateAsync(admin, $"key-{i}", ["catalog:read"]);
        }
        await PricingRulesApiTests.CreateIdAsync(admin, new { priority = 1, markupRatio = 1.1m });
        await ApiKeyCalls.CreateAsync(api.ClientWith(api.B.AdminKey), "b-key", ["catalog:read"]);

        var all = await ReadAllAsync(admin, "limit=2");
        var created = await ReadAllAsync(admin, "limit=3&action=api_key.created");

        all.Count.ShouldBe(5);
        all.Select(e => e.GetProperty("id").GetInt64()).ShouldBeUnique();
        all.Select(e => e.GetProperty("createdAt").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Descending);
        created.Select(e => e.GetProperty("after").GetProperty("name").GetString()).ShouldBe(["key-3", "key-2", "key-1", "key-0"]);
        (await ReadAllAsync(admin, "targetType=pricing_rule")).Count.ShouldBe(1);
        (await ReadAllAsync(admin, $"actor=key:{await ApiKeyCalls.KeyIdAsync(admin)}&targetType=api_key")).Count.ShouldBe(4);
        (await ReadAllAsync(admin, "actor=key:someone-else")).ShouldBeEmpty();
        var middle = created[1].GetProperty("createdAt").GetDateTimeOffset();
        var from = Uri.EscapeDataString(middle.ToString("O"));
        var to = Uri.EscapeDataString(created[0].GetProperty("createdAt").GetDateTimeOffset().ToString("O"));
        (await ReadAllAsync(admin, $"action=api_key.created&from={from}&to={to}")).Select(e => e.GetProperty("after").GetProperty("name").GetString()).ShouldBe(["key-2"]);
        (await ReadAllAsync(api.ClientWith(api.B.AdminKey), "")).Select(e => e.GetProperty("after").GetProperty("name").GetString()).ShouldBe(["b-key"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task Bad_parameters_are_field_errors(string query, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).GetAsync($"/api/v1/audit-log?{query}", Ct);

        await response.ShouldFailValidationOnAsync(field);
    }

    [Fact]
    public async Task An_overlong_filter_is_a_field_error()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).GetAsync($"/api/v1/audit-log?actor={new string('x', 201)}", Ct);

        await response.ShouldFailValidationOnAsync("actor");
    }

    [Fact]
    public async Task A_cursor_altered_or_used_with_other_filters_or_by_another_organization_is_refused()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(api.A.AdminKey);
        await ApiKeyCalls.CreateAsync(admin, "one", ["catalog:read"]);
        await ApiKeyCalls.CreateAsync(admin, "two", ["catalog:read"]);
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit-log?limit=1", Ct);
        var cursor = page.GetProperty("nextCursor").GetString()!;

        foreach (var (client, query) in new[]
        {
            (admin, $"limit=1&cursor={Uri.EscapeDataString(cursor[..^2] + (cursor[^2] == 'A' ? "B" : "A") + cursor[^1])}"),
            (admin, $"limit=1&action=api_key.created&cursor={Uri.EscapeDataString(cursor)}"),
            (api.ClientWith(api.B.AdminKey), $"limit=1&cursor={Uri.EscapeDataString(cursor)}"),
            (admin, "cursor=garbage"),
        })
        {
            await (await client.GetAsync($"/api/v1/audit-log?{query}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_CURSOR");
        }
    }

    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient client, string query)
    {
        var entries = new List<JsonElement>();
        string? cursor = null;
        for (var pages = 0; pages < 50; pages++)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/api/v1/audit-log?{query}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", Ct);
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                return entries;
            }
        }
        throw new InvalidOperationException("More than 50 pages: the cursor does not advance.");
    }
}
