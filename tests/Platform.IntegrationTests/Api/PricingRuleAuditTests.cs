using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

public sealed class PricingRuleAuditTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_update_and_deactivate_each_write_one_audit_row_with_before_and_after()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var id = await PricingRulesApiTests.CreateIdAsync(client, new { priority = 1, markupRatio = 1.1m });
        (await client.PutAsJsonAsync($"/api/v1/pricing-rules/{id}", new { priority = 2, markupRatio = 1.3m }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.DeleteAsync($"/api/v1/pricing-rules/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var rows = await AuditRowsAsync(api, id);

        rows.Select(r => r.Action).ShouldBe(["pricing_rule.created", "pricing_rule.updated", "pricing_rule.deactivated"]);
        rows.ShouldAllBe(r => r.OrgId == api.A.OrgId && r.TargetType == "pricing_rule" && !string.IsNullOrEmpty(r.TraceId));
        var keyId = await KeyIdAsync(api, api.A.OrgId, "admin");
        rows.ShouldAllBe(r => r.Actor == $"key:{keyId}");
        rows[0].Before.ShouldBeNull();
        Parse(rows[0].After).GetProperty("markupRatio").GetDecimal().ShouldBe(1.1m);
        Parse(rows[1].Before).GetProperty("priority").GetInt32().ShouldBe(1);
        Parse(rows[1].After).GetProperty("priority").GetInt32().ShouldBe(2);
        Parse(rows[1].After).GetProperty("markupRatio").GetDecimal().ShouldBe(1.3m);
        Parse(rows[2].Before).GetProperty("active").GetBoolean().ShouldBeTrue();
        Parse(rows[2].After).GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Deleting_an_inactive_rule_again_is_204_without_another_audit_row()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var id = await PricingRulesApiTests.CreateIdAsync(client, new { priority = 1, markupRatio = 1.1m });
        await client.DeleteAsync($"/api/v1/pricing-rules/{id}", Ct);

        var again = await client.DeleteAsync($"/api/v1/pricing-rules/{id}", Ct);

        again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await AuditRowsAsync(api, id)).Select(r => r.Action).ShouldBe(["pricing_rule.created", "pricing_rule.deactivated"]);
    }

    [Fact]
    public async Task Refused_changes_leave_no_audit_row()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var id = await PricingRulesApiTests.CreateIdAsync(api.ClientWith(api.A.AdminKey), new { priority = 1, markupRatio = 1.1m });
        var other = api.ClientWith(api.B.AdminKey);

        await other.PutAsJsonAsync($"/api/v1/pricing-rules/{id}", new { priority = 9, markupRatio = 9m }, Ct);
        await other.DeleteAsync($"/api/v1/pricing-rules/{id}", Ct);

        (await AuditRowsAsync(api, id)).Select(r => r.Action).ShouldBe(["pricing_rule.created"]);
    }

    private static JsonElement Parse(string? json) => JsonSerializer.Deserialize<JsonElement>(json!);

    private static async Task<List<AuditRow>> AuditRowsAsync(TwoTenantApi api, Guid id)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<AuditRow>("""
            SELECT org_id AS "OrgId", actor AS "Actor", action AS "Action", target_type AS "TargetType", trace_id AS "TraceId",
                   before::text AS "Before", after::text AS "After"
            FROM audit_log WHERE target_id = @id ORDER BY id
            """, new { id = id.ToString() })).ToList();
    }

    private static async Task<Guid> KeyIdAsync(TwoTenantApi api, Guid orgId, string name)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<Guid>("SELECT id FROM api_keys WHERE org_id = @orgId AND name = @name", new { orgId, name });
    }

    private sealed class AuditRow
    {
        public Guid? OrgId { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string TargetType { get; init; } = "";
        public string? TraceId { get; init; }
        public string? Before { get; init; }
        public string? After { get; init; }
    }
}
