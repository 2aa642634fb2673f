using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// The mutations run REST's services: the same rows, queue messages, audit entries and error codes. They need scope
/// <c>pipeline:admin</c> (the tenant's admin key holds <c>admin</c>, which implies it; the reader key does not).
/// </summary>
public sealed class GraphQlMutationTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string TriggerRun = """
        mutation($feedId: ID!, $type: String) { triggerRun(feedId: $feedId, type: $type) { id feedId runType status trigger } }
        """;

    private const string CreateRule = """
        mutation($input: PricingRuleInput!) { createPricingRule(input: $input) { id priority markupRatio shapes feedId active } }
        """;

    private const string UpdateRule = """
        mutation($id: ID!, $input: PricingRuleInput!) { updatePricingRule(id: $id, input: $input) { id priority markupRatio active } }
        """;

    [Fact]
    public async Task TriggerRun_starts_a_run_and_queues_its_scan_and_a_second_is_run_already_active()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        var started = await GraphQlClient.PostAsync(client, TriggerRun, new { feedId = api.A.FeedId, type = "FULL" });
        var again = await GraphQlClient.PostAsync(client, TriggerRun, new { feedId = api.A.FeedId });

        started.Status.ShouldBe(HttpStatusCode.OK, started.Body.ToString());
        started.Codes.ShouldBeEmpty();
        var run = started.Data.GetProperty("triggerRun");
        run.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        run.GetProperty("runType").GetString().ShouldBe("full");
        run.GetProperty("status").GetString().ShouldBe("scanning");
        run.GetProperty("trigger").GetString().ShouldBe("api");
        var runId = run.GetProperty("id").GetGuid();
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.QueryAsync<string>("SELECT message_id FROM queue_messages WHERE queue = 'ingest.scan'")).ShouldBe([$"scan:{runId}"]);
        again.Codes.ShouldBe(["RUN_ALREADY_ACTIVE"]);
        again.Data.GetProperty("triggerRun").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task TriggerRun_answers_rests_codes_for_a_foreign_feed_a_disabled_feed_a_bad_type_and_a_key_without_the_scope()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var disabled = await GraphQlSeed.FeedAsync(api.Database, api.A, "off", enabled: false);
        var admin = api.ClientWith(api.A.AdminKey);

        var foreign = await GraphQlClient.PostAsync(admin, TriggerRun, new { feedId = api.B.FeedId });
        var notAnId = await GraphQlClient.PostAsync(admin, TriggerRun, new { feedId = "feed-1" });
        var off = await GraphQlClient.PostAsync(admin, TriggerRun, new { feedId = disabled });
        var badType = await GraphQlClient.PostAsync(admin, TriggerRun, new { feedId = api.A.FeedId, type = "weekly" });
        var reader = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), TriggerRun, new { feedId = api.A.FeedId });

        foreign.Codes.ShouldBe(["NOT_FOUND"]);
        notAnId.Codes.ShouldBe(["NOT_FOUND"]);
        off.Codes.ShouldBe(["FEED_DISABLED"]);
        badType.Codes.ShouldBe(["VALIDATION_FAILED"]);
        badType.FirstMessage.ShouldContain("type:");
        reader.Codes.ShouldBe(["FORBIDDEN"]);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pipeline_runs")).ShouldBe(0);
    }

    [Fact]
    public async Task RetryFailedPartitions_enqueues_the_failed_partitions_of_a_running_run_only()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var running = await GraphQlSeed.RunAsync(api.Database, api.A, api.A.FeedId, "running", partitions: 4, failed: 2);
        var feedB = await GraphQlSeed.FeedAsync(api.Database, api.A, "b");
        var completed = await GraphQlSeed.RunAsync(api.Database, api.A, feedB, "completed", partitions: 1);
        var theirs = await GraphQlSeed.RunAsync(api.Database, api.B, api.B.FeedId, "running", partitions: 2, failed: 1);
        var client = api.ClientWith(api.A.AdminKey);
        const string retry = "mutation($id: ID!) { retryFailedPartitions(runId: $id) { affected run { id partitions { partitionId failed } } } }";

        var done = await GraphQlClient.PostAsync(client, retry, new { id = running });
        var conflict = await GraphQlClient.PostAsync(client, retry, new { id = completed });
        var foreign = await GraphQlClient.PostAsync(client, retry, new { id = theirs });
        var reader = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), retry, new { id = running });

        done.Codes.ShouldBeEmpty(done.Body.ToString());
        var payload = done.Data.GetProperty("retryFailedPartitions");
        payload.GetProperty("affected").GetInt32().ShouldBe(2);
        payload.GetProperty("run").GetProperty("partitions").EnumerateArray().ShouldAllBe(p => !p.GetProperty("failed").GetBoolean());
        conflict.Codes.ShouldBe(["RUN_STATE_CONFLICT"]);
        foreign.Codes.ShouldBe(["NOT_FOUND"]);
        reader.Codes.ShouldBe(["FORBIDDEN"]);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM queue_messages WHERE queue = 'ingest.page'")).ShouldBe(2);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM run_partitions WHERE run_id = @theirs AND failed", new { theirs })).ShouldBe(1);
    }

    [Fact]
    public async Task Create_and_update_pricing_rule_write_the_rows_and_audit_entries_rest_writes()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        var created = await GraphQlClient.PostAsync(client, CreateRule,
            new { input = new { priority = 4, markupRatio = 1.25m, shapes = new[] { "ROUND", "OVAL" }, feedId = api.A.FeedId } });
        var id = created.Data.GetProperty("createPricingRule").GetProperty("id").GetGuid();
        var updated = await GraphQlClient.PostAsync(client, UpdateRule, new { id, input = new { priority = 2, markupRatio = 1.5m, active = false } });

        created.Codes.ShouldBeEmpty(created.Body.ToString());
        var rule = created.Data.GetProperty("createPricingRule");
        rule.GetProperty("markupRatio").GetDecimal().ShouldBe(1.25m);
        rule.GetProperty("shapes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["ROUND", "OVAL"]);
        rule.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        updated.Codes.ShouldBeEmpty(updated.Body.ToString());
        updated.Data.GetProperty("updatePricingRule").GetProperty("priority").GetInt32().ShouldBe(2);
        var rest = await client.GetFromJsonAsync<JsonElement>($"/api/v1/pricing-rules/{id}", Ct);
        rest.GetProperty("markupRatio").GetDecimal().ShouldBe(1.5m);
        rest.GetProperty("active").GetBoolean().ShouldBeFalse();
        rest.GetProperty("feedId").ValueKind.ShouldBe(JsonValueKind.Null, "an update replaces every field, like PUT");
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var keyId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM api_keys WHERE org_id = @OrgId AND name = 'admin'", new { api.A.OrgId });
        var audit = (await connection.QueryAsync<(string Action, string Actor, Guid OrgId, string? TraceId)>(
            "SELECT action, actor, org_id, trace_id FROM audit_log WHERE target_id = @id ORDER BY id", new { id = id.ToString() })).ToList();
        audit.Select(a => a.Action).ShouldBe(["pricing_rule.created", "pricing_rule.updated"]);
        audit.ShouldAllBe(a => a.Actor == $"key:{keyId}" && a.OrgId == api.A.OrgId && !string.IsNullOrEmpty(a.TraceId));
    }

    [Fact]
    public async Task Pricing_rule_mutations_refuse_invalid_input_foreign_ids_and_keys_without_the_scope()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var theirs = await PricingRulesApiTests.CreateIdAsync(api.ClientWith(api.B.AdminKey), new { priority = 1, markupRatio = 1.1m });
        var client = api.ClientWith(api.A.AdminKey);

        var missing = await GraphQlClient.PostAsync(client, CreateRule, new { input = new { shapes = new[] { "ROUND" } } });
        var foreignFeed = await GraphQlClient.PostAsync(client, CreateRule, new { input = new { priority = 1, markupRatio = 1.1m, feedId = api.B.FeedId } });
        var inverted = await GraphQlClient.PostAsync(client, CreateRule, new { input = new { priority = 1, markupRatio = 1.1m, caratMin = 2m, caratMax = 1m } });
        var foreignRule = await GraphQlClient.PostAsync(client, UpdateRule, new { id = theirs, input = new { priority = 9, markupRatio = 9m } });
        var reader = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), CreateRule, new { input = new { priority = 1, markupRatio = 1.1m } });

        missing.Codes.ShouldBe(["VALIDATION_FAILED"]);
        var message = missing.FirstMessage;
        message.ShouldContain("input.priority:");
        message.ShouldContain("input.markupRatio:");
        foreignFeed.Codes.ShouldBe(["VALIDATION_FAILED"]);
        foreignFeed.FirstMessage.ShouldContain("input.feedId:");
        inverted.Codes.ShouldBe(["VALIDATION_FAILED"]);
        foreignRule.Codes.ShouldBe(["NOT_FOUND"]);
        reader.Codes.ShouldBe(["FORBIDDEN"]);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pricing_rules WHERE org_id = @OrgId", new { api.A.OrgId })).ShouldBe(0);
        (await connection.ExecuteScalarAsync<int>("SELECT priority FROM pricing_rules WHERE id = @theirs", new { theirs })).ShouldBe(1);
    }

    [Fact]
    public async Task A_mutation_over_get_is_405_and_does_not_run()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await GraphQlClient.GetAsync(api.ClientWith(api.A.AdminKey), $"mutation {{ triggerRun(feedId: \"{api.A.FeedId}\") {{ id }} }}");

        response.Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Codes.ShouldBe(["METHOD_NOT_ALLOWED"]);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pipeline_runs")).ShouldBe(0);
    }

    [Fact]
    public async Task A_mutation_consumes_a_catalog_write_permit_and_a_query_does_not()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["RateLimits:CatalogWrite:PermitLimit"] = "2" });
        var client = api.ClientWith(api.A.AdminKey);
        var input = new { input = new { priority = 1, markupRatio = 1.1m } };

        for (var i = 0; i < 3; i++)
        {
            (await GraphQlClient.PostAsync(client, "{ feeds { id } }")).Status.ShouldBe(HttpStatusCode.OK);
        }
        var first = await GraphQlClient.PostAsync(client, CreateRule, input);
        var second = await GraphQlClient.PostAsync(client, CreateRule, input);
        var third = await GraphQlClient.PostAsync(client, CreateRule, input);
        var query = await GraphQlClient.PostAsync(client, "{ pricingRules { id } }");

        first.Codes.ShouldBeEmpty(first.Body.ToString());
        first.Message.Headers.GetValues("RateLimit-Policy").Single().ShouldStartWith("\"catalog-write\"");
        second.Codes.ShouldBeEmpty();
        third.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Message.Headers.RetryAfter.ShouldNotBeNull();
        third.Body.GetProperty("code").GetString().ShouldBe("RATE_LIMITED");
        query.Status.ShouldBe(HttpStatusCode.OK);
        query.Data.GetProperty("pricingRules").GetArrayLength().ShouldBe(2);
    }
}
