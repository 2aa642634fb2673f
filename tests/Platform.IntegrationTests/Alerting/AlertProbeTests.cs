using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Alerting;
using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Alerting.Monitors;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Feeds.Resilience;

namespace Platform.IntegrationTests.Alerting;

/// <summary>The monitors' conditions read from a database set up by hand, with thresholds shrunk by configuration.</summary>
public sealed class AlertProbeTests(PlatformServers servers)
{
    [Fact]
    public async Task Queue_probe_reports_depth_over_capacity_old_ready_messages_stalled_pages_and_a_high_failure_rate()
    {
        await using var provider = await BuildAsync(new()
        {
            ["Alerting:QueueCapacities:ingest.page"] = "10",
            ["Alerting:OldestMessageSeconds"] = "60",
            ["Alerting:NoProgressSeconds"] = "60",
            ["Alerting:FailureRateMinimumSample"] = "4",
        });
        var (orgId, feedId) = await SeedFeedAsync(provider);
        var runId = Guid.CreateVersion7();
        await ExecuteAsync(provider, """
            INSERT INTO queue_messages (queue, message_id, body, visible_at, max_attempts)
            SELECT 'ingest.page', 'p' || i, '{}', now() - interval '5 minutes', 5 FROM generate_series(1, 9) i;
            INSERT INTO queue_messages (queue, message_id, body, visible_at, max_attempts) VALUES ('ingest.scan', 'fresh', '{}', now(), 5);
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, started_at)
            VALUES (@runId, @orgId, @feedId, 'full', 'running', 'test', now() - interval '1 day', now(), now());
            INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records, last_error, last_page_at)
            SELECT @runId, 'p-' || i, @orgId, i, i + 1, 10, CASE WHEN i <= 2 THEN 'HttpRequestException: 503' END, now() - interval '10 minutes'
            FROM generate_series(1, 5) i;
            """, new { orgId, feedId, runId });

        var signals = await provider.GetRequiredService<QueueHealthProbe>().ProbeAsync(CancellationToken.None);

        signals.Select(s => (s.Kind, s.Subject)).Order().ShouldBe(
        [
            (AlertKinds.NoProgress, "ingest.page"),
            (AlertKinds.PageFailureRate, "pages"),
            (AlertKinds.QueueDepth, "ingest.page"),
            (AlertKinds.QueueOldestMessage, "ingest.page"),
        ]);
        signals.Single(s => s.Kind == AlertKinds.PageFailureRate).Details["failing"].ShouldBe(2);

        // A page committed just now is progress: no_progress clears while the rest still holds.
        await ExecuteAsync(provider, "UPDATE run_partitions SET last_page_at = now() WHERE partition_id = 'p-5'", null);
        (await provider.GetRequiredService<QueueHealthProbe>().ProbeAsync(CancellationToken.None)).ShouldNotContain(s => s.Kind == AlertKinds.NoProgress);
    }

    [Fact]
    public async Task Pipeline_probe_reports_failed_and_partial_runs_and_long_open_circuits_reported_by_live_processes()
    {
        await using var provider = await BuildAsync(new() { ["Alerting:CircuitOpenSeconds"] = "60" });
        var (orgId, feedId) = await SeedFeedAsync(provider);
        var (feed2, feed3) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (failed, partial, fixedLater) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync(provider, """
            INSERT INTO feeds (id, org_id, name, adapter) VALUES (@feed2, @orgId, 'f2', 'simulator'), (@feed3, @orgId, 'f3', 'simulator');
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, error, created_at, completed_at) VALUES
                (@fixedLater, @orgId, @feed3, 'full', 'failed', 'test', now() - interval '1 day', now(), 'old failure', now() - interval '20 minutes', now() - interval '19 minutes'),
                (@failed, @orgId, @feedId, 'full', 'failed', 'test', now() - interval '1 day', now(), 'The heatmap scan was lost', now() - interval '5 minutes', now() - interval '4 minutes');
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, completed_at)
            VALUES (gen_random_uuid(), @orgId, @feed3, 'full', 'completed', 'test', now() - interval '1 day', now(), now());
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, expected_partitions, started_at)
            VALUES (@partial, @orgId, @feed2, 'full', 'running', 'test', now() - interval '1 day', now(), 2, now());
            INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records, completed, failed) VALUES
                (@partial, 'p-1', @orgId, 0, 1, 1, true, false), (@partial, 'p-2', @orgId, 1, 2, 1, false, true);
            INSERT INTO upstream_circuits (feed_id, instance, org_id, state, changed_at, reported_at) VALUES
                (@feed2, 'live', @orgId, 'open', now() - interval '10 minutes', now()),
                (@feedId, 'gone', @orgId, 'open', now() - interval '10 minutes', now() - interval '1 hour');
            """, new { orgId, feedId, feed2, feed3, failed, partial, fixedLater });

        var signals = await provider.GetRequiredService<PipelineHealthProbe>().ProbeAsync(CancellationToken.None);

        signals.Select(s => (s.Kind, s.Subject)).Order().ShouldBe(
        [
            (AlertKinds.ConsolidationSkipped, $"run:{partial}"),
            (AlertKinds.RunFailed, $"run:{failed}"),
            (AlertKinds.UpstreamCircuitOpen, $"feed:{feed2}"),
        ]);
        signals.ShouldAllBe(s => s.OrgId == orgId);
    }

    [Fact]
    public async Task The_circuit_reporter_writes_this_processs_breaker_states_with_the_feeds_organization()
    {
        await using var provider = await BuildAsync(new());
        var (orgId, feedId) = await SeedFeedAsync(provider);
        var openedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        var reporter = ActivatorUtilities.CreateInstance<UpstreamCircuitReporter>(provider, new FixedCircuits(feedId, openedAt));

        await reporter.ReportAsync(CancellationToken.None);
        await reporter.ReportAsync(CancellationToken.None);

        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(Guid OrgId, string State, DateTimeOffset ChangedAt)>(
            "SELECT org_id, state, changed_at FROM upstream_circuits WHERE feed_id = @feedId AND instance = @instance",
            new { feedId, instance = UpstreamCircuitReporter.Instance });
        row.OrgId.ShouldBe(orgId);
        row.State.ShouldBe("open");
        row.ChangedAt.ShouldBe(openedAt, TimeSpan.FromMilliseconds(1));
    }

    private sealed class FixedCircuits(Guid feedId, DateTimeOffset openedAt) : IUpstreamCircuitMonitor
    {
        public UpstreamCircuitState StateOf(Guid id) => id == feedId ? UpstreamCircuitState.Open : UpstreamCircuitState.Closed;

        public IReadOnlyDictionary<Guid, UpstreamCircuitStatus> Snapshot() =>
            new Dictionary<Guid, UpstreamCircuitStatus> { [feedId] = new(UpstreamCircuitState.Open, openedAt) };
    }

    private async Task<ServiceProvider> BuildAsync(Dictionary<string, string?> settings)
    {
        var database = await servers.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddAlertMonitoring();
        DapperConventions.Apply();
        return services.BuildServiceProvider();
    }

    private static async Task<(Guid OrgId, Guid FeedId)> SeedFeedAsync(IServiceProvider provider)
    {
        var (orgId, feedId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync(provider, """
            INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Probe', 'pro');
            INSERT INTO feeds (id, org_id, name, adapter) VALUES (@feedId, @orgId, 'sim', 'simulator');
            """, new { orgId, feedId, slug = $"pr-{orgId:N}"[..20] });
        return (orgId, feedId);
    }

    private static async Task ExecuteAsync(IServiceProvider provider, string sql, object? parameters)
    {
        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}
