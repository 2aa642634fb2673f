using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.Operations;

namespace Platform.IntegrationTests.Health;

/// <summary>
/// <c>/health/ready</c>: the overall status for anyone, the per-component detail (transport, upstream, pool, errors) for
/// operator keys and detail networks only; each component turns Degraded at its configured threshold.
/// </summary>
public sealed class ReadinessDetailTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_and_tenant_callers_get_the_status_only_and_an_operator_key_gets_every_component()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var operatorKey = await api.OperatorKeyAsync();
        await using var localWithoutNetworks = LoopbackCaller.WithoutNetworks(api.Factory);

        foreach (var client in new[] { api.Factory.CreateClient(), api.ClientWith(api.A.AdminKey), localWithoutNetworks.CreateClient() })
        {
            var (status, summary) = await GetJsonAsync(client, "/health/ready");
            status.ShouldBe(HttpStatusCode.OK);
            summary.GetProperty("status").GetString().ShouldBe("Healthy");
            summary.EnumerateObject().Select(p => p.Name).ShouldBe(["status"]);
        }

        var (_, detail) = await GetJsonAsync(api.ClientWith(operatorKey), "/health/ready");
        var components = detail.GetProperty("components");
        components.EnumerateObject().Select(p => p.Name).Order()
            .ShouldBe(["errors", "postgres", "postgres-pool", "rate-limits", "redis", "self", "transport", "upstream"]);
        components.EnumerateObject().ShouldAllBe(p => p.Value.GetProperty("status").GetString() == "Healthy");
        var transport = components.GetProperty("transport").GetProperty("data");
        transport.GetProperty("ingest.page").GetProperty("depth").GetInt64().ShouldBe(0);
        components.GetProperty("postgres-pool").GetProperty("data").TryGetProperty("platformdb", out var pool)
            .ShouldBeTrue(components.GetProperty("postgres-pool").GetRawText());
        pool.GetProperty("max").GetInt64().ShouldBeGreaterThan(0);
        components.GetProperty("errors").GetProperty("data").GetProperty("windowMinutes").GetInt32().ShouldBe(5);
        // Liveness stays the process only.
        var (_, live) = await GetJsonAsync(api.ClientWith(operatorKey), "/health/live");
        live.GetProperty("components").EnumerateObject().Select(p => p.Name).ShouldBe(["self"]);
    }

    [Fact]
    public async Task A_detail_network_sees_the_components_without_a_key()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await using var local = LoopbackCaller.SeesDetail(api.Factory);

        var (_, body) = await GetJsonAsync(local.CreateClient(), "/health/ready");

        body.GetProperty("components").GetProperty("transport").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task A_message_waiting_longer_than_the_threshold_makes_the_transport_degraded_with_the_reason()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Sampled(("Health:Readiness:QueueOldestDegradedSeconds", "60")));
        var operatorKey = await api.OperatorKeyAsync();
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO queue_messages (queue, message_id, body, enqueued_at, visible_at, max_attempts)
                VALUES ('ingest.page', 'old', '{}', now() - interval '10 minutes', now() - interval '10 minutes', 5),
                       ('ingest.page', 'fresh', '{}', now(), now(), 5)
                """);
        }

        // The transport check reads the background sample: the next one sees the messages.
        await Eventually.TrueAsync(async () => (await GetJsonAsync(api.Factory.CreateClient(), "/health/ready")).Body.GetProperty("status").GetString() == "Degraded",
            SampleWait, "the next sample sees the old message");
        var (status, summary) = await GetJsonAsync(api.Factory.CreateClient(), "/health/ready");
        var (_, detail) = await GetJsonAsync(api.ClientWith(operatorKey), "/health/ready");

        status.ShouldBe(HttpStatusCode.OK, "Degraded still serves traffic");
        summary.GetProperty("status").GetString().ShouldBe("Degraded");
        var transport = detail.GetProperty("components").GetProperty("transport");
        transport.GetProperty("status").GetString().ShouldBe("Degraded");
        transport.GetProperty("description").GetString()!.ShouldContain("ingest.page: oldest ready message waited");
        var page = transport.GetProperty("data").GetProperty("ingest.page");
        page.GetProperty("depth").GetInt64().ShouldBe(2);
        page.GetProperty("oldestAgeSeconds").GetDouble().ShouldBeInRange(590, 700);
    }

    [Fact]
    public async Task An_oldest_message_past_the_unhealthy_threshold_answers_503()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Sampled(("Health:Readiness:QueueOldestUnhealthySeconds", "120")));
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO queue_messages (queue, message_id, body, visible_at, max_attempts) VALUES ('ingest.consolidate', 'stuck', '{}', now() - interval '1 hour', 5)
                """);
        }

        await Eventually.TrueAsync(async () => (await GetJsonAsync(api.Factory.CreateClient(), "/health/ready")).Status == HttpStatusCode.ServiceUnavailable,
            SampleWait, "the next sample sees the stuck message");
        var (status, summary) = await GetJsonAsync(api.Factory.CreateClient(), "/health/ready");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        summary.GetProperty("status").GetString().ShouldBe("Unhealthy");
    }

    [Fact]
    public async Task Recent_errors_above_the_threshold_make_readiness_degraded_and_old_ones_do_not_count()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Sampled(("Health:Readiness:ErrorsDegraded", "3")));
        var operatorKey = await api.OperatorKeyAsync();
        await ErrorRows.InsertAsync(api.Database, [.. Enumerable.Repeat(DateTimeOffset.UtcNow.AddMinutes(-1), 2), DateTimeOffset.UtcNow.AddHours(-1)]);
        await Eventually.TrueAsync(async () => (await ComponentAsync(api, operatorKey, "errors")).GetProperty("data").GetProperty("errors").GetInt64() == 2,
            SampleWait, "the next sample counts the two recent errors");
        (await ComponentAsync(api, operatorKey, "errors")).GetProperty("status").GetString().ShouldBe("Healthy");

        await ErrorRows.InsertAsync(api.Database, [DateTimeOffset.UtcNow]);

        await Eventually.TrueAsync(async () => (await ComponentAsync(api, operatorKey, "errors")).GetProperty("data").GetProperty("errors").GetInt64() == 3,
            SampleWait, "the next sample counts the third");
        var errors = await ComponentAsync(api, operatorKey, "errors");
        errors.GetProperty("status").GetString().ShouldBe("Degraded");
        errors.GetProperty("data").GetProperty("errors").GetInt64().ShouldBe(3);
        errors.GetProperty("description").GetString()!.ShouldContain("3 errors in the last 5 min");
    }

    [Fact]
    public async Task A_saturated_connection_pool_is_degraded()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?>
        {
            ["Aspire:Npgsql:MaxPoolSize"] = "4",
            ["Health:Readiness:PoolDegradedPercent"] = "50",
        });
        var operatorKey = await api.OperatorKeyAsync();
        // Two of four connections held by "requests"; the checks themselves take a third at most.
        await using var held1 = await api.Database.OpenConnectionAsync(Ct);
        await using var held2 = await api.Database.OpenConnectionAsync(Ct);

        var pool = await ComponentAsync(api, operatorKey, "postgres-pool");

        pool.GetProperty("status").GetString().ShouldBe("Degraded", pool.GetRawText());
        var figures = pool.GetProperty("data").GetProperty("platformdb");
        figures.GetProperty("max").GetInt64().ShouldBe(4);
        figures.GetProperty("used").GetInt64().ShouldBeGreaterThanOrEqualTo(2);
        pool.GetProperty("description").GetString()!.ShouldContain("of 4 connections in use");
    }

    [Fact]
    public async Task A_detail_network_that_is_not_cidr_stops_the_start_and_names_the_setting()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Health:DetailNetworks:0"] = "10.0.0.0/33" });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain("Health:DetailNetworks");
    }

    /// <summary>The transport and errors checks read the background sample: sampled every second here.</summary>
    private static readonly TimeSpan SampleWait = TimeSpan.FromSeconds(15);

    private static Dictionary<string, string?> Sampled(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Telemetry:GaugeRefreshSeconds"] = "1" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return all;
    }

    private static async Task<JsonElement> ComponentAsync(TwoTenantApi api, string operatorKey, string name) =>
        (await GetJsonAsync(api.ClientWith(operatorKey), "/health/ready")).Body.GetProperty("components").GetProperty(name);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }
}
