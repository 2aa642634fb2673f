using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Organization B's key given organization A's ids: always 404 NOT_FOUND, never A's data, and nothing of A changes.</summary>
public sealed class CrossTenantTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_runs_feeds_and_pricing_rules_route_answers_404_for_another_organizations_ids()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var runId = await RunsApiTests.StartRunAsync(a, api.A.FeedId);
        var ruleId = await PricingRulesApiTests.CreateIdAsync(a, new { priority = 1, markupRatio = 1.1m });
        var b = api.ClientWith(api.B.AdminKey);
        var rule = JsonContent.Create(new { priority = 9, markupRatio = 9m });
        var requests = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Post, $"/api/v1/feeds/{api.A.FeedId}/runs", JsonContent.Create(new { type = "full" })),
            (HttpMethod.Get, $"/api/v1/runs/{runId}", null),
            (HttpMethod.Get, $"/api/v1/runs/{runId}/partitions", null),
            (HttpMethod.Post, $"/api/v1/runs/{runId}/retry-failed", null),
            (HttpMethod.Post, $"/api/v1/runs/{runId}/consolidate", RunsApiTests.EmptyJson()),
            (HttpMethod.Post, $"/api/v1/runs/{runId}/cancel", null),
            (HttpMethod.Get, $"/api/v1/pricing-rules/{ruleId}", null),
            (HttpMethod.Put, $"/api/v1/pricing-rules/{ruleId}", rule),
            (HttpMethod.Delete, $"/api/v1/pricing-rules/{ruleId}", null),
            (HttpMethod.Get, $"/api/v1/feeds/{api.A.FeedId}", null),
            (HttpMethod.Patch, $"/api/v1/feeds/{api.A.FeedId}", JsonContent.Create(new { name = "taken over", credentials = "b's secret" })),
        };

        foreach (var (method, path, body) in requests)
        {
            var response = await b.SendAsync(new HttpRequestMessage(method, path) { Content = body }, Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
            problem.GetRawText().ShouldNotContain(runId.ToString());
            problem.GetRawText().ShouldNotContain(ruleId.ToString());
        }

        var run = await a.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}", Ct);
        run.GetProperty("status").GetString().ShouldBe("scanning");
        var stored = await a.GetFromJsonAsync<JsonElement>($"/api/v1/pricing-rules/{ruleId}", Ct);
        stored.GetProperty("priority").GetInt32().ShouldBe(1);
        stored.GetProperty("active").GetBoolean().ShouldBeTrue();
        var feed = await a.GetFromJsonAsync<JsonElement>($"/api/v1/feeds/{api.A.FeedId}", Ct);
        feed.GetProperty("name").GetString().ShouldBe("feed");
        feed.GetProperty("hasCredentials").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task An_organizations_admin_key_cannot_read_the_platform_error_log_queues_or_stats_nor_replay_dead_letters()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO error_log (service, category, code, message, fingerprint, org_id) VALUES ('worker', 'page', 'PAGE_FETCH_FAILED', 'secret-ish', 'f', @orgId);
                INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason) VALUES ('ingest.page', 'a-page', '{}', '{}', now(), 5, 'boom');
                """, new { orgId = api.A.OrgId });
        }
        var a = api.ClientWith(api.A.AdminKey);

        foreach (var path in new[] { "/api/v1/admin/errors", "/api/v1/admin/errors/trends", "/api/v1/admin/stats", "/api/v1/admin/queues", "/api/v1/admin/queues/ingest.page/dead-letters" })
        {
            var problem = await (await a.GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
            problem.GetRawText().ShouldNotContain("secret-ish");
        }
        await (await a.PostAsJsonAsync("/api/v1/admin/queues/ingest.page/dead-letters:replay", new { all = true }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");

        await using var check = await api.Database.OpenConnectionAsync(Ct);
        (await check.QuerySingleAsync<int>("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL")).ShouldBe(1);
        (await check.QuerySingleAsync<int>("SELECT count(*) FROM queue_messages")).ShouldBe(0);
    }

    [Fact]
    public async Task Diamond_routes_answer_404_for_another_organizations_stones_and_never_list_them()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stoneA = new SeedStone { Shape = "OVAL" };
        await CatalogSeed.InsertAsync(api.Database, api.A, [stoneA]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone { Shape = "PEAR" }]);
        var b = api.ClientWith(api.B.AdminKey);

        foreach (var path in new[] { $"/api/v1/diamonds/{stoneA.Id}", $"/api/v1/diamonds/{stoneA.Id}/price-history" })
        {
            var problem = await (await b.GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
            problem.GetRawText().ShouldNotContain(stoneA.Id.ToString());
        }
        var search = await b.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds?shape=OVAL&feedId={api.A.FeedId}", Ct);
        var everything = await b.GetFromJsonAsync<JsonElement>("/api/v1/diamonds", Ct);
        var batch = await (await b.PostAsJsonAsync("/api/v1/diamonds:batchGet", new { ids = new[] { stoneA.Id } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        search.GetProperty("items").GetArrayLength().ShouldBe(0);
        search.GetProperty("total").GetInt64().ShouldBe(0);
        everything.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("shape").GetString()).ShouldBe(["PEAR"]);
        batch.GetProperty("items").GetArrayLength().ShouldBe(0);
        batch.GetProperty("notFound").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([stoneA.Id]);
    }

    [Fact]
    public async Task Filtering_runs_by_another_organizations_feed_finds_nothing()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await RunsApiTests.StartRunAsync(api.ClientWith(api.A.AdminKey), api.A.FeedId);

        var list = await api.ClientWith(api.B.AdminKey).GetFromJsonAsync<JsonElement>($"/api/v1/runs?feedId={api.A.FeedId}", Ct);

        list.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task List_endpoints_show_only_the_callers_rows()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var b = api.ClientWith(api.B.AdminKey);
        var runA = await RunsApiTests.StartRunAsync(a, api.A.FeedId);
        var runB = await RunsApiTests.StartRunAsync(b, api.B.FeedId);
        var ruleA = await PricingRulesApiTests.CreateIdAsync(a, new { priority = 1, markupRatio = 1.1m });
        var inactiveA = await PricingRulesApiTests.CreateIdAsync(a, new { priority = 2, markupRatio = 1.2m, active = false });
        var ruleB = await PricingRulesApiTests.CreateIdAsync(b, new { priority = 1, markupRatio = 1.3m });

        var runsOfB = (await b.GetFromJsonAsync<JsonElement>("/api/v1/runs", Ct)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid());
        var rulesOfB = await PricingRulesApiTests.ListIdsAsync(b, "/api/v1/pricing-rules?includeInactive=true");
        var rulesOfA = await PricingRulesApiTests.ListIdsAsync(a, "/api/v1/pricing-rules?includeInactive=true");

        runsOfB.ShouldBe([runB]);
        rulesOfB.ShouldBe([ruleB]);
        rulesOfA.ShouldBe([ruleA, inactiveA]);
        runA.ShouldNotBe(runB);
    }
}
