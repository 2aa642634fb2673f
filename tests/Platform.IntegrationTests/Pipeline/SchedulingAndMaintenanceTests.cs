using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Maintenance;
using Platform.Infrastructure.Ingestion.Scheduling;
using Platform.Infrastructure.Messaging;
using Platform.IntegrationTests.Messaging;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// The scheduler's cron and leadership, and the maintenance role's safety nets, on a database set up by hand.
/// What they publish lands where the transport puts it: the queue table, or the outbox the dispatcher relays to Service Bus.
/// The leader-lease test involves no transport (leases are Postgres advisory locks either way) and simply runs under both.
/// </summary>
public class SchedulingAndMaintenanceTests(PlatformServers servers) : IAsyncLifetime
{
    private TestTransport _transport = null!;

    /// <summary>The transport the roles publish over; <see cref="SchedulingAndMaintenanceTestsOverServiceBus"/> runs every test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    public async ValueTask InitializeAsync() => _transport = await TestTransport.StartAsync(Transport);

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Only_one_process_holds_the_leader_lease_and_it_passes_on_when_released()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        await using var first = new LeaderLease(dataSource, 42);
        await using var second = new LeaderLease(dataSource, 42);

        (await first.TryAcquireOrConfirmAsync(CancellationToken.None)).ShouldBeTrue();
        (await second.TryAcquireOrConfirmAsync(CancellationToken.None)).ShouldBeFalse();
        (await first.TryAcquireOrConfirmAsync(CancellationToken.None)).ShouldBeTrue();

        await first.ReleaseAsync();

        (await second.TryAcquireOrConfirmAsync(CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_due_cron_occurrence_starts_one_run_and_is_not_fired_again()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var provider = BuildServices(database, s => s.AddScheduler());
        var (orgId, feedId) = await SeedFeedAsync(provider, cron: "*/5 * * * *", lastScheduled: DateTimeOffset.UtcNow.AddMinutes(-6));
        var scheduler = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FeedScheduler>().Single();

        (await scheduler.FireDueAsync(CancellationToken.None)).ShouldBe(1);
        (await scheduler.FireDueAsync(CancellationToken.None)).ShouldBe(0);

        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pipeline_runs WHERE feed_id = @feedId AND trigger = 'schedule'", new { feedId })).ShouldBe(1);
        (await PublishedAsync(connection, QueueNames.IngestScan)).Count.ShouldBe(1);
        _ = orgId;
    }

    [Fact]
    public async Task A_feed_whose_next_occurrence_is_in_the_future_is_not_started()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var provider = BuildServices(database, s => s.AddScheduler());
        await SeedFeedAsync(provider, cron: "0 0 1 1 *", lastScheduled: DateTimeOffset.UtcNow);
        var scheduler = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FeedScheduler>().Single();

        (await scheduler.FireDueAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Maintenance_rescues_stalled_partitions_resumes_lost_consolidations_and_fails_lost_scans()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var provider = BuildServices(database, s => s.AddPipelineMaintenance());
        var (orgId, feedId) = await SeedFeedAsync(provider, cron: null, lastScheduled: null);
        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var stalledRun = Guid.CreateVersion7();
        var feed2 = Guid.CreateVersion7();
        var feed3 = Guid.CreateVersion7();
        var lostConsolidation = Guid.CreateVersion7();
        var lostScan = Guid.CreateVersion7();
        await connection.ExecuteAsync("""
            INSERT INTO feeds (id, org_id, name, adapter) VALUES (@feed2, @orgId, 'f2', 'simulator'), (@feed3, @orgId, 'f3', 'simulator');
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, expected_partitions, started_at)
            VALUES (@stalledRun, @orgId, @feedId, 'full', 'running', 'test', now() - interval '1 day', now(), 2, now() - interval '1 hour');
            INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records, next_offset, updated_at) VALUES
                (@stalledRun, 'p-0001', @orgId, 0, 100, 10, 60, now() - interval '11 minutes'),
                (@stalledRun, 'p-0002', @orgId, 100, 200, 10, 30, now());
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, consolidation_started_at)
            VALUES (@lostConsolidation, @orgId, @feed2, 'full', 'consolidating', 'test', now() - interval '1 day', now(), now() - interval '20 minutes');
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, created_at)
            VALUES (@lostScan, @orgId, @feed3, 'full', 'scanning', 'test', now() - interval '1 day', now(), now() - interval '20 minutes');
            """, new { orgId, feedId, feed2, feed3, stalledRun, lostConsolidation, lostScan });
        // Both runs' messages died. A queue table shows that by their absence; a broker cannot be searched, so with
        // Service Bus only a dead letter proves a message lost (anything else may still be on its way, ADR 0028).
        await connection.ExecuteAsync("""
            INSERT INTO dead_letters (queue, message_id, body, headers, enqueued_at, attempts, reason) VALUES
                ('ingest.consolidate', 'consolidate:' || @lostConsolidation || ':0', '{}', '{}', now() - interval '30 minutes', 5, 'test'),
                ('ingest.scan', 'scan:' || @lostScan, '{}', '{}', now() - interval '30 minutes', 3, 'test');
            """, new { lostConsolidation, lostScan });

        var report = await provider.GetRequiredService<PipelineMaintenance>().RunOnceAsync(CancellationToken.None);

        report.ShouldBe(new MaintenanceReport(1, 1, 1));
        var page = (await PublishedAsync(connection, QueueNames.IngestPage)).ShouldHaveSingleItem();
        var message = PipelineJson.TryDeserialize<PageMessage>(page)!;
        (message.PartitionId, message.Offset).ShouldBe(("p-0001", 60));
        (await connection.ExecuteScalarAsync<string>("SELECT phase FROM pipeline_runs WHERE phase IN ('scanning', 'failed')")).ShouldBe("failed");
        (await provider.GetRequiredService<PipelineMaintenance>().RunOnceAsync(CancellationToken.None)).Any.ShouldBeFalse();
    }

    /// <summary>
    /// The bodies published to <paramref name="queue"/>: queue rows with Postgres; outbox rows with Service Bus (no
    /// dispatcher runs here, so they stay there, written in the same transaction as the run's rows).
    /// </summary>
    private async Task<IReadOnlyList<string>> PublishedAsync(NpgsqlConnection connection, string queue)
    {
        var table = _transport.IsServiceBus ? "outbox_messages" : "queue_messages";
        var other = _transport.IsServiceBus ? "queue_messages" : "outbox_messages";
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {other}")).ShouldBe(0, $"nothing goes to {other} with {Transport}");
        return [.. await connection.QueryAsync<string>($"SELECT body FROM {table} WHERE queue = @queue", new { queue })];
    }

    private ServiceProvider BuildServices(TestDatabase database, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(_transport.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        register(services);
        DapperConventions.Apply();
        return services.BuildServiceProvider();
    }

    private static async Task<(Guid OrgId, Guid FeedId)> SeedFeedAsync(IServiceProvider provider, string? cron, DateTimeOffset? lastScheduled)
    {
        var orgId = Guid.CreateVersion7();
        var feedId = Guid.CreateVersion7();
        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Sched', 'pro');
            INSERT INTO feeds (id, org_id, name, adapter, schedule_cron, last_scheduled_at) VALUES (@feedId, @orgId, 'sim', 'simulator', @cron, @lastScheduled);
            """, new { orgId, feedId, slug = $"s-{orgId:N}"[..20], cron, lastScheduled });
        return (orgId, feedId);
    }
}

/// <summary>The same roles with <c>Messaging:Transport=servicebus</c>: their messages go through the outbox.</summary>
public sealed class SchedulingAndMaintenanceTestsOverServiceBus(PlatformServers servers) : SchedulingAndMaintenanceTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
