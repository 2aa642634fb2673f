using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The operator's per-organization limit overrides (<c>/api/v1/admin/orgs/{id}/limits</c>): effective, plan and override
/// side by side, audited, validated, operator-only; and their effect on run capacity and on the catalog request rates.
/// </summary>
public sealed class OrganizationLimitsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Limits_read_back_as_effective_plan_and_override_and_the_organization_shows_the_effective_ones()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(await api.OperatorKeyAsync());
        var path = $"/api/v1/admin/orgs/{api.A.OrgId}/limits";

        var initial = await admin.GetFromJsonAsync<JsonElement>(path, Ct);
        using var put = await admin.PutAsJsonAsync(path, new { runningCapacity = 7, rpmWrite = 1234, maxFeeds = 40 }, Ct);
        var organization = await api.ClientWith(api.A.ReaderKey).GetFromJsonAsync<JsonElement>("/api/v1/organization", Ct);
        var other = await api.ClientWith(api.B.ReaderKey).GetFromJsonAsync<JsonElement>("/api/v1/organization", Ct);

        initial.GetProperty("plan").GetString().ShouldBe("pro");
        Limit(initial, "runningCapacity").ShouldBe((5, 5, null));
        Limit(initial, "queuedCapacity").ShouldBe((50, 50, null));
        Limit(initial, "rpmRead").ShouldBe((2000, 2000, null));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("organizationId").GetGuid().ShouldBe(api.A.OrgId);
        Limit(body, "runningCapacity").ShouldBe((7, 5, 7));
        Limit(body, "queuedCapacity").ShouldBe((50, 50, null));
        Limit(body, "rpmWrite").ShouldBe((1234, 300, 1234));
        Limit(body, "maxFeeds").ShouldBe((40, 20, 40));
        var limits = organization.GetProperty("limits");
        (limits.GetProperty("runningCapacity").GetInt32(), limits.GetProperty("requestsPerMinuteWrite").GetInt32(), limits.GetProperty("maxFeeds").GetInt32())
            .ShouldBe((7, 1234, 40));
        other.GetProperty("limits").GetProperty("runningCapacity").GetInt32().ShouldBe(5);

        // PUT replaces the set: what is left out is cleared.
        using var cleared = await admin.PutAsJsonAsync(path, new { queuedCapacity = 0 }, Ct);
        var after = await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Limit(after, "runningCapacity").ShouldBe((5, 5, null));
        Limit(after, "queuedCapacity").ShouldBe((0, 50, 0));
    }

    [Fact]
    public async Task A_change_is_audited_with_who_before_and_after()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(await api.OperatorKeyAsync());
        var path = $"/api/v1/admin/orgs/{api.A.OrgId}/limits";
        (await admin.PutAsJsonAsync(path, new { runningCapacity = 2 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync(path, new { runningCapacity = 3, rpmRead = 100 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var entries = (await connection.QueryAsync<(Guid OrgId, string Actor, string TargetType, string TargetId, string Before, string After, string? TraceId)>("""
            SELECT org_id, actor, target_type, target_id, before::text, after::text, trace_id FROM audit_log WHERE action = 'org.limits_changed' ORDER BY id
            """)).ToList();

        entries.Count.ShouldBe(2);
        var keyId = await connection.QuerySingleAsync<Guid>("SELECT id FROM api_keys WHERE org_id IS NULL");
        entries.ShouldAllBe(e => e.OrgId == api.A.OrgId && e.Actor == $"key:{keyId}" && e.TargetType == "organization" && e.TraceId != null);
        entries[0].TargetId.ShouldBe(api.A.OrgId.ToString());
        JsonDocument.Parse(entries[0].Before).RootElement.GetProperty("RunningCapacity").ValueKind.ShouldBe(JsonValueKind.Null);
        JsonDocument.Parse(entries[0].After).RootElement.GetProperty("RunningCapacity").GetInt32().ShouldBe(2);
        JsonDocument.Parse(entries[1].Before).RootElement.GetProperty("RunningCapacity").GetInt32().ShouldBe(2);
        var after = JsonDocument.Parse(entries[1].After).RootElement;
        (after.GetProperty("RunningCapacity").GetInt32(), after.GetProperty("RpmRead").GetInt32()).ShouldBe((3, 100));
    }

    [Theory]
    [InlineData("""{"runningCapacity": 0}""", "runningCapacity")]
    [InlineData("""{"runningCapacity": 1001, "queuedCapacity": -1}""", "runningCapacity,queuedCapacity")]
    [InlineData("""{"rpmRead": 0, "rpmWrite": 1000001, "maxFeeds": 0}""", "rpmRead,rpmWrite,maxFeeds")]
    public async Task Out_of_range_limits_are_400_naming_each_field_and_change_nothing(string body, string fields)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(await api.OperatorKeyAsync());

        using var response = await admin.PutAsync($"/api/v1/admin/orgs/{api.A.OrgId}/limits", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        await response.ShouldFailValidationOnAsync(fields.Split(','));
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'org.limits_changed'")).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"runningCapacity": "many"}""")]
    [InlineData("""{"rpmRead": 99999999999999999999}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"maxFeeds": 1.5""")]
    public async Task Malformed_bodies_are_400_never_500(string body)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(await api.OperatorKeyAsync());

        using var response = await admin.PutAsync($"/api/v1/admin/orgs/{api.A.OrgId}/limits", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task An_unknown_organization_is_404()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var admin = api.ClientWith(await api.OperatorKeyAsync());
        var path = $"/api/v1/admin/orgs/{Guid.NewGuid()}/limits";

        await (await admin.GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await admin.PutAsJsonAsync(path, new { runningCapacity = 2 }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Only_a_platform_admin_key_may_read_or_change_limits()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var path = $"/api/v1/admin/orgs/{api.A.OrgId}/limits";

        // The organization's own key with every organization scope, including admin: still not the operator.
        var orgAdmin = api.ClientWith(api.A.AdminKey);
        await (await orgAdmin.GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await orgAdmin.PutAsJsonAsync(path, new { runningCapacity = 20 }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await api.Factory.CreateClient().GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<int?>("SELECT running_capacity_override FROM organizations WHERE id = @OrgId", new { api.A.OrgId })).ShouldBeNull();
    }

    [Fact]
    public async Task Raising_the_running_capacity_starts_queued_runs_and_lowering_the_queue_refuses_more()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(4);
        var admin = api.ClientWith(await api.OperatorKeyAsync());
        var client = api.ClientWith(api.A.AdminKey);
        foreach (var feedId in feeds.Take(3))
        {
            (await client.StartRunAsync(feedId)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        (await admin.PutAsJsonAsync($"/api/v1/admin/orgs/{api.A.OrgId}/limits", new { runningCapacity = 2, queuedCapacity = 1 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await api.PhasesOfAAsync()).Values.Order().ShouldBe(["queued", "scanning", "scanning"]);
        (await api.ScanMessagesAsync()).Count.ShouldBe(2);
        var problem = await (await client.StartRunAsync(feeds[3])).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "CAPACITY_EXCEEDED");
        (problem.GetProperty("running").GetInt32(), problem.GetProperty("runningCapacity").GetInt32(),
            problem.GetProperty("queued").GetInt32(), problem.GetProperty("queuedCapacity").GetInt32()).ShouldBe((2, 2, 1, 1));
    }

    [Fact]
    public async Task Catalog_rate_limits_follow_the_organizations_plan_and_its_override()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["RateLimits:OrganizationRates"] = "true" });
        var admin = api.ClientWith(await api.OperatorKeyAsync());
        var reader = api.ClientWith(api.A.ReaderKey);

        using var planRate = await reader.GetAsync("/api/v1/organization", Ct);
        Header(planRate, "RateLimit-Policy").ShouldBe("\"catalog-read\";q=2000;w=60");
        using var otherWrite = await api.ClientWith(api.B.AdminKey).DeleteAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", Ct);
        Header(otherWrite, "RateLimit-Policy").ShouldBe("\"catalog-write\";q=300;w=60");

        (await admin.PutAsJsonAsync($"/api/v1/admin/orgs/{api.A.OrgId}/limits", new { rpmRead = 3, rpmWrite = 2 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The request already counted under the plan rate still counts in the window: two more are admitted.
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await reader.GetAsync("/api/v1/organization", Ct);
            admitted.StatusCode.ShouldBe(HttpStatusCode.OK);
            Header(admitted, "RateLimit-Policy").ShouldBe("\"catalog-read\";q=3;w=60");
        }
        await (await reader.GetAsync("/api/v1/organization", Ct)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        using var write = await api.ClientWith(api.A.AdminKey).DeleteAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", Ct);
        Header(write, "RateLimit-Policy").ShouldBe("\"catalog-write\";q=2;w=60");
        // Organization B keeps its plan's rate.
        using var other = await api.ClientWith(api.B.ReaderKey).GetAsync("/api/v1/organization", Ct);
        Header(other, "RateLimit-Policy").ShouldBe("\"catalog-read\";q=2000;w=60");
    }

    private static (int Effective, int Plan, int? Override) Limit(JsonElement body, string name)
    {
        var limit = body.GetProperty(name);
        var overridden = limit.GetProperty("override");
        return (limit.GetProperty("effective").GetInt32(), limit.GetProperty("plan").GetInt32(),
            overridden.ValueKind == JsonValueKind.Null ? null : overridden.GetInt32());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
