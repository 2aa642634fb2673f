using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>The runs REST API with no worker: a started run stays <c>scanning</c> with its scan message queued.</summary>
public sealed class RunsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starting_a_full_run_answers_202_with_its_location_and_queues_one_scan_message()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        var response = await client.PostAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}/runs", new { type = "full" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var runId = body.GetProperty("runId").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/runs/{runId}");
        body.GetProperty("runType").GetString().ShouldBe("full");
        body.GetProperty("status").GetString().ShouldBe("scanning");
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var queued = (await connection.QueryAsync<(string Queue, string MessageId)>("SELECT queue, message_id FROM queue_messages")).ToList();
        queued.ShouldBe([("ingest.scan", $"scan:{runId}")]);
    }

    [Fact]
    public async Task A_started_run_reads_back_as_scanning_with_no_partitions()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var runId = await StartRunAsync(client, api.A.FeedId);

        var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}", Ct);
        var partitions = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}/partitions", Ct);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/runs", Ct);

        run.GetProperty("status").GetString().ShouldBe("scanning");
        run.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        run.GetProperty("trigger").GetString().ShouldBe("api");
        partitions.ValueKind.ShouldBe(JsonValueKind.Array);
        partitions.GetArrayLength().ShouldBe(0);
        list.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([runId]);
    }

    [Fact]
    public async Task A_second_start_while_a_run_is_active_is_a_409_run_already_active()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        await StartRunAsync(client, api.A.FeedId);

        var second = await client.PostAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}/runs", new { type = "full" }, Ct);

        await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "RUN_ALREADY_ACTIVE");
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM queue_messages")).ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_run_type_is_a_400_on_type()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}/runs", new { type = "bogus" }, Ct);

        await response.ShouldFailValidationOnAsync("type");
    }

    [Fact]
    public async Task Starting_a_run_of_an_unknown_feed_is_a_404()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsJsonAsync($"/api/v1/feeds/{Guid.NewGuid()}/runs", new { type = "full" }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_key_without_pipeline_admin_can_neither_start_nor_steer_nor_read_runs()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var runId = await StartRunAsync(api.ClientWith(api.A.AdminKey), api.A.FeedId);
        var reader = api.ClientWith(api.A.ReaderKey);

        await (await reader.PostAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}/runs", new { type = "full" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        foreach (var action in new[] { "cancel", "retry-failed", "consolidate" })
        {
            await (await reader.PostAsync($"/api/v1/runs/{runId}/{action}", EmptyJson(), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        }
        foreach (var path in new[] { "/api/v1/runs", $"/api/v1/runs/{runId}", $"/api/v1/runs/{runId}/partitions" })
        {
            await (await reader.GetAsync(path, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_list_limit_outside_1_to_100_is_a_400_on_limit(int limit)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).GetAsync($"/api/v1/runs?limit={limit}", Ct);

        await response.ShouldFailValidationOnAsync("limit");
    }

    [Fact]
    public async Task Cancelling_a_scanning_run_marks_it_cancelled_once_and_enqueues_nothing()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var runId = await StartRunAsync(client, api.A.FeedId);

        var cancel = await client.PostAsync($"/api/v1/runs/{runId}/cancel", null, Ct);

        cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var body = await cancel.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("action").GetString().ShouldBe("cancel");
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}", Ct)).GetProperty("status").GetString().ShouldBe("cancelled");
        var again = await (await client.PostAsync($"/api/v1/runs/{runId}/cancel", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "RUN_STATE_CONFLICT");
        again.GetProperty("detail").GetString().ShouldBe("The run is already cancelled.");
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.QueryAsync<string>("SELECT queue FROM queue_messages")).ShouldBe(["ingest.scan"]);
    }

    [Theory]
    [InlineData("retry-failed")]
    [InlineData("consolidate")]
    public async Task Steering_a_cancelled_run_is_a_409_run_state_conflict(string action)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var runId = await StartRunAsync(client, api.A.FeedId);
        (await client.PostAsync($"/api/v1/runs/{runId}/cancel", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var response = await client.PostAsync($"/api/v1/runs/{runId}/{action}", EmptyJson(), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "RUN_STATE_CONFLICT");
    }

    [Fact]
    public async Task After_a_cancel_the_feed_can_start_a_new_run()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var first = await StartRunAsync(client, api.A.FeedId);
        await client.PostAsync($"/api/v1/runs/{first}/cancel", null, Ct);

        var second = await StartRunAsync(client, api.A.FeedId);

        second.ShouldNotBe(first);
        var ids = (await client.GetFromJsonAsync<JsonElement>("/api/v1/runs", Ct)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid());
        ids.ShouldBe([second, first]);
    }

    [Fact]
    public async Task Starting_a_run_without_a_body_picks_the_run_type_itself()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync($"/api/v1/feeds/{api.A.FeedId}/runs", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runType").GetString().ShouldBe("full");
    }

    /// <summary>An explicit empty JSON body, for endpoints whose body is optional.</summary>
    internal static StringContent EmptyJson() => new("{}", System.Text.Encoding.UTF8, "application/json");

    internal static async Task<Guid> StartRunAsync(HttpClient client, Guid feedId)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/feeds/{feedId}/runs", new { type = "full" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetGuid();
    }
}
