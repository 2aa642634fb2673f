using System.Net;
using System.Text.Json;

namespace Platform.IntegrationTests.Health;

/// <summary>The probes against real Postgres and Redis; component detail as an operator on a detail network sees it.</summary>
public sealed class HealthEndpointTests(PlatformServers servers)
{
    [Fact]
    public async Task Ready_lists_postgres_and_redis_as_healthy_when_both_answer()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var factory = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);
        await using var api = LoopbackCaller.SeesDetail(factory);

        var (status, body) = await GetJsonAsync(api.CreateClient(), "/health/ready");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("components").GetProperty("postgres").GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("components").GetProperty("redis").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Stopping_redis_turns_ready_to_degraded_and_the_api_keeps_answering()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var redis = await RedisServer.StartOwnedAsync();
        await using var factory = new ApiFactory(database.ConnectionString, redis.ConnectionString);
        await using var api = LoopbackCaller.SeesDetail(factory);
        var client = api.CreateClient();
        (await GetJsonAsync(client, "/health/ready")).Body.GetProperty("status").GetString().ShouldBe("Healthy");

        await redis.StopAsync();

        var (status, body) = await GetJsonAsync(client, "/health/ready");
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("Degraded");
        body.GetProperty("components").GetProperty("redis").GetProperty("status").GetString().ShouldBe("Degraded");
        body.GetProperty("components").GetProperty("postgres").GetProperty("status").GetString().ShouldBe("Healthy");
        (await client.GetAsync("/api/v1/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await redis.StartAsync();
        await Eventually.TrueAsync(async () => (await GetJsonAsync(client, "/health/ready")).Body.GetProperty("status").GetString() == "Healthy",
            TimeSpan.FromSeconds(30), "ready returns to Healthy once Redis is back");
    }

    [Fact]
    public async Task Ready_is_unhealthy_with_503_when_postgres_is_unreachable_and_live_stays_up()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=none;Timeout=2";
        await using var factory = new ApiFactory(unreachable, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        await using var api = LoopbackCaller.SeesDetail(factory);
        var client = api.CreateClient();

        var (status, body) = await GetJsonAsync(client, "/health/ready");

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("status").GetString().ShouldBe("Unhealthy");
        var postgres = body.GetProperty("components").GetProperty("postgres");
        postgres.GetProperty("status").GetString().ShouldBe("Unhealthy");
        postgres.GetProperty("description").GetString().ShouldNotBeNullOrEmpty();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_answer_in_prometheus_text_format()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);
        var client = api.CreateClient();
        await client.GetAsync("/api/v1/status");

        var response = await client.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE ");
        text.ShouldContain("http_server_request_duration_seconds");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }
}
