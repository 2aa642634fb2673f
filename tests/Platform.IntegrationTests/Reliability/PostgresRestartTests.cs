using Microsoft.Extensions.Logging.Abstractions;
using Platform.Infrastructure.Database;

namespace Platform.IntegrationTests.Reliability;

/// <summary>
/// The database goes away mid-run (a restart, a failover) and comes back: every process reconnects and the run
/// completes with the exact catalog. Uses a cluster of its own, since other tests share the harness's server.
/// </summary>
public sealed class PostgresRestartTests(PlatformServers servers)
{
    [Fact]
    public async Task Restarting_postgres_mid_run_still_completes_the_run_exactly()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable) is { Length: > 0 },
            "An external Postgres (PLATFORM_TEST_POSTGRES) cannot be restarted by the test.");
        await using var postgres = await PostgresServer.CreateAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = "restart" }.ConnectionString;
        await using (var admin = new NpgsqlConnection(postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync("CREATE DATABASE restart");
        }
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        }
        const int stones = 3_000;
        await using var topology = await ProcessTopology.StartAsync(connectionString, servers.Redis.ConnectionString, stones, consolidationBatch: 100);
        var runId = await topology.StartRunAsync();
        await Eventually.TrueAsync(async () => (await topology.RunAsync(runId))?.PartitionsCompleted > 0 || await PagesDoneAsync(topology) > 0,
            TimeSpan.FromMinutes(2), "ingestion is under way");

        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.StartAsync();

        var run = await WaitForFinalAsync(topology, runId, TimeSpan.FromMinutes(4));
        run.ShouldBe("completed");
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events")).ShouldBe(stones);
        topology.Workers.Values.ShouldAllBe(w => w.IsRunning);
    }

    private static Task<long> PagesDoneAsync(ProcessTopology topology) =>
        topology.ScalarAsync<long>("SELECT coalesce(sum(next_offset), 0) FROM run_partitions");

    private static async Task<string> WaitForFinalAsync(ProcessTopology topology, Guid runId, TimeSpan timeout)
    {
        string? status = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                status = (await topology.RunAsync(runId))?.Status;
            }
            catch (NpgsqlException)
            {
                return false; // the test's own pool reconnects too
            }
            return status is "completed" or "failed" or "cancelled";
        }, timeout, $"run {runId} finishes (last status {status})");
        return status!;
    }
}
