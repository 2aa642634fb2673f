using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Platform.Worker;
using Platform.Worker.Heartbeat;
using StackExchange.Redis;

namespace Platform.IntegrationTests.Worker;

public sealed class WorkerHostTests(PlatformServers servers)
{
    [Fact]
    public async Task Unknown_role_stops_the_worker_naming_the_setting()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var worker = new WorkerFactory(database.ConnectionString, servers.Redis.ConnectionString, "ingest-typo");

        var error = Should.Throw<InvalidOperationException>(() => worker.CreateClient());

        error.Message.ShouldContain("Worker:Roles");
        error.Message.ShouldContain("ingest-typo");
    }

    [Fact]
    public async Task Worker_migrates_answers_health_and_announces_itself_in_redis()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);
        await using var worker = new WorkerFactory(database.ConnectionString, servers.Redis.ConnectionString, "all");
        var client = worker.CreateClient();

        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        var key = WorkerHeartbeat.KeyPrefix + WorkerHeartbeat.InstanceId;
        await Eventually.TrueAsync(async () => await redis.GetDatabase().KeyExistsAsync(key), TimeSpan.FromSeconds(10), "the heartbeat is written");
        var beat = JsonDocument.Parse((string)(await redis.GetDatabase().StringGetAsync(key))!).RootElement;
        beat.GetProperty("instance").GetString().ShouldBe(WorkerHeartbeat.InstanceId);
        (await redis.GetDatabase().KeyTimeToLiveAsync(key)).ShouldNotBeNull();
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations")).ShouldBeGreaterThan(0);
    }

    private sealed class WorkerFactory(string database, string redis, string roles) : WebApplicationFactory<WorkerProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:platformdb", database);
            builder.UseSetting("ConnectionStrings:cache", redis);
            builder.UseSetting("Worker:Roles", roles);
        }
    }
}
