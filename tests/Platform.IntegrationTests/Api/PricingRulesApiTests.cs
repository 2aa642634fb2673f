using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

public sealed class PricingRulesApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_rule_answers_201_with_its_location_and_the_stored_rule()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        var response = await client.PostAsJsonAsync("/api/v1/pricing-rules", new
        {
            priority = 10, caratMin = 0.5m, caratMax = 2.0m, shapes = new[] { "Round", "Oval" }, labGrown = false, feedId = api.A.FeedId,
            markupRatio = 1.25m, rating = 8,
        }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var rule = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = rule.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/pricing-rules/{id}");
        rule.GetProperty("priority").GetInt32().ShouldBe(10);
        rule.GetProperty("caratMin").GetDecimal().ShouldBe(0.5m);
        rule.GetProperty("caratMax").GetDecimal().ShouldBe(2.0m);
        rule.GetProperty("shapes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["Round", "Oval"]);
        rule.GetProperty("labGrown").GetBoolean().ShouldBeFalse();
        rule.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        rule.GetProperty("markupRatio").GetDecimal().ShouldBe(1.25m);
        rule.GetProperty("rating").GetInt32().ShouldBe(8);
        rule.GetProperty("active").GetBoolean().ShouldBeTrue();
        var fetched = await client.GetFromJsonAsync<JsonElement>($"/api/v1/pricing-rules/{id}", Ct);
        fetched.GetProperty("markupRatio").GetDecimal().ShouldBe(1.25m);
        fetched.GetProperty("shapes").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task A_minimal_rule_leaves_every_criterion_open()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var rule = await CreateAsync(api.ClientWith(api.A.AdminKey), new { priority = 0, markupRatio = 1.1m });

        foreach (var field in new[] { "caratMin", "caratMax", "shapes", "labGrown", "feedId", "rating" })
        {
            rule.GetProperty(field).ValueKind.ShouldBe(JsonValueKind.Null, field);
        }
    }

    [Fact]
    public async Task The_list_is_ordered_by_priority_then_id()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var low = await CreateIdAsync(client, new { priority = 5, markupRatio = 1.1m });
        var high = await CreateIdAsync(client, new { priority = 1, markupRatio = 1.2m });
        var tieA = await CreateIdAsync(client, new { priority = 3, markupRatio = 1.3m });
        var tieB = await CreateIdAsync(client, new { priority = 3, markupRatio = 1.4m });
        // Postgres orders uuids bytewise, i.e. as their text; UUIDv7s made in one millisecond are not ordered by creation.
        var ties = new[] { tieA, tieB }.OrderBy(id => id.ToString(), StringComparer.Ordinal).ToArray();

        var ids = await ListIdsAsync(client, "/api/v1/pricing-rules");

        ids.ShouldBe([high, ties[0], ties[1], low]);
    }

    [Fact]
    public async Task Put_replaces_every_field_and_returns_the_rule()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var id = await CreateIdAsync(client, new { priority = 1, shapes = new[] { "Round" }, markupRatio = 1.1m, rating = 3 });

        var response = await client.PutAsJsonAsync($"/api/v1/pricing-rules/{id}", new { priority = 7, caratMax = 1.5m, markupRatio = 2.5m, active = false }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rule = await client.GetFromJsonAsync<JsonElement>($"/api/v1/pricing-rules/{id}", Ct);
        rule.GetProperty("priority").GetInt32().ShouldBe(7);
        rule.GetProperty("caratMax").GetDecimal().ShouldBe(1.5m);
        rule.GetProperty("markupRatio").GetDecimal().ShouldBe(2.5m);
        rule.GetProperty("shapes").ValueKind.ShouldBe(JsonValueKind.Null);
        rule.GetProperty("rating").ValueKind.ShouldBe(JsonValueKind.Null);
        rule.GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Put_of_an_unknown_rule_is_a_404()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PutAsJsonAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", new { priority = 1, markupRatio = 1.1m }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Delete_deactivates_so_only_includeInactive_lists_the_rule()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var kept = await CreateIdAsync(client, new { priority = 1, markupRatio = 1.1m });
        var deleted = await CreateIdAsync(client, new { priority = 2, markupRatio = 1.2m });

        var response = await client.DeleteAsync($"/api/v1/pricing-rules/{deleted}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ListIdsAsync(client, "/api/v1/pricing-rules")).ShouldBe([kept]);
        (await ListIdsAsync(client, "/api/v1/pricing-rules?includeInactive=false")).ShouldBe([kept]);
        var all = (await client.GetFromJsonAsync<JsonElement>("/api/v1/pricing-rules?includeInactive=true", Ct)).GetProperty("items").EnumerateArray().ToList();
        all.Select(r => r.GetProperty("id").GetGuid()).ShouldBe([kept, deleted]);
        all[1].GetProperty("active").GetBoolean().ShouldBeFalse();
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/pricing-rules/{deleted}", Ct)).GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_of_an_unknown_rule_is_a_404()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).DeleteAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Get_of_an_unknown_rule_is_a_404()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).GetAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_catalog_reader_key_can_neither_read_nor_change_rules()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var id = await CreateIdAsync(api.ClientWith(api.A.AdminKey), new { priority = 1, markupRatio = 1.1m });
        var reader = api.ClientWith(api.A.ReaderKey);

        await (await reader.GetAsync("/api/v1/pricing-rules", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.GetAsync($"/api/v1/pricing-rules/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.PostAsJsonAsync("/api/v1/pricing-rules", new { priority = 1, markupRatio = 1.1m }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.PutAsJsonAsync($"/api/v1/pricing-rules/{id}", new { priority = 1, markupRatio = 1.1m }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.DeleteAsync($"/api/v1/pricing-rules/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Without_a_key_the_rules_are_401()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.Factory.CreateClient().GetAsync("/api/v1/pricing-rules", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/pricing-rules", body, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    internal static async Task<Guid> CreateIdAsync(HttpClient client, object body) =>
        (await CreateAsync(client, body)).GetProperty("id").GetGuid();

    internal static async Task<List<Guid>> ListIdsAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path, Ct)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
}
