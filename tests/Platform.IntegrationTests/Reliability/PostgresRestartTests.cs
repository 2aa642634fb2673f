using Microsoft.Extensions.Logging.Abstractions;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Messaging;

namespace Platform.IntegrationTests.Reliability;

/// <summary>
/// The database goes away mid-run (a restart, a failover) and comes back: every process reconnects and the run
/// completes with the exact catalog. Uses a cluster of its own, since other tests share the harness's server.
/// </summary>
public class PostgresRestartTests(PlatformServers servers)
{
    /// <summary>The transport the processes use; <see cref="PostgresRestartTestsOverServiceBus"/> runs the test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

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
        await using var topology = await ProcessTopology.StartAsync(connectionString, servers.Redis.ConnectionString, stones, consolidationBatch: 100, transport: Transport);
        var runId = await topology.StartRunAsync();
        await Eventually.TrueAsync(async () => (await topology.RunAsync(runId))?.PartitionsCompleted > 0 || await PagesDoneAsync(topology) > 0,
            TimeSpan.FromMinutes(2), "ingestion is under way");

        var acceptedBeforeRestart = BrokerAccepted(topology);
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.StartAsync();

        var run = await WaitForFinalAsync(topology, runId, TimeSpan.FromMinutes(4));
        run.ShouldBe("completed");
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events")).ShouldBe(stones);
        topology.Workers.Values.ShouldAllBe(w => w.IsRunning);
        if (topology.Transport.IsServiceBus)
        {
            // The broker stayed up throughout; what the handlers published went to the outbox, and the dispatcher
            // relayed it once Postgres was back: nothing is left behind, and the broker took messages after the restart.
            (await topology.ScalarAsync<long>("SELECT count(*) FROM outbox_messages")).ShouldBe(0);
            BrokerAccepted(topology).ShouldBeGreaterThan(acceptedBeforeRestart);
            topology.Transport.Broker!.Queue(QueueNames.IngestConsolidate).Accepted.ShouldBeGreaterThan(0);
        }
    }

    /// <summary>Messages the broker took in so far across the pipeline's queues (0 with the Postgres transport).</summary>
    private static int BrokerAccepted(ProcessTopology topology) => topology.Transport.Broker is { } broker
        ? new[] { QueueNames.IngestScan, QueueNames.IngestPage, QueueNames.IngestConsolidate }.Sum(q => broker.Queue(q).Accepted)
        : 0;

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

/// <summary>
/// The same restart with Service Bus: the fake broker keeps running while Postgres is down, so receivers keep getting
/// messages whose handlers fail (and are redelivered), while the outbox holds what handlers publish until the
/// dispatcher can read it again.
/// </summary>
public sealed class PostgresRestartTestsOverServiceBus(PlatformServers servers) : PostgresRestartTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
