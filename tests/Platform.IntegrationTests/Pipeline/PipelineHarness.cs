using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.IntegrationTests.Feeds.Support;
using Platform.IntegrationTests.Messaging;
using Platform.Worker;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A whole pipeline in one test: a fresh database with an organization and a simulator feed, the real feed
/// simulator (in-process) and the real worker host with every role, its upstream HTTP routed to the simulator.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly WorkerFactory _worker;
    private readonly string _redis;

    private PipelineHarness(TestDatabase database, SimulatorServer simulator, TestTransport transport, WorkerFactory worker, Guid orgId, Guid feedId, string redis)
    {
        Transport = transport;
        _redis = redis;
        Database = database;
        Simulator = simulator;
        _worker = worker;
        OrgId = orgId;
        FeedId = feedId;
    }

    public TestDatabase Database { get; }
    public SimulatorServer Simulator { get; }
    public TestTransport Transport { get; }
    public Guid OrgId { get; }
    public Guid FeedId { get; }
    public IServiceProvider Services => _worker.Services;

    public static async Task<PipelineHarness> StartAsync(
        PlatformServers servers, int stones, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string transport = MessagingOptions.Postgres, string? simulatorApiToken = null)
    {
        var database = await servers.CreateDatabaseAsync();
        var messaging = await TestTransport.StartAsync(transport);
        var simulator = SimulatorServer.Start(stones, simulatorApiToken);
        var orgId = Guid.CreateVersion7();
        var feedId = Guid.CreateVersion7();
        await using (var dataSource = database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Pipeline test', 'pro');
                INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps) VALUES (@feedId, @orgId, 'sim', 'simulator', @config::jsonb, @rps);
                """, new
            {
                orgId, feedId, slug = $"org-{orgId:N}"[..20],
                config = JsonSerializer.Serialize(new { baseUrl = SimulatorServer.BaseUrl }),
                rps = UpstreamRateLimit.Unlimited,
            });
        }
        var all = messaging.Settings.ToDictionary(s => s.Key, string? (s) => s.Value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var worker = new WorkerFactory(database.ConnectionString, servers.Redis.ConnectionString, simulator, all, services);
        _ = worker.Services; // start the host: consumers begin polling
        return new PipelineHarness(database, simulator, messaging, worker, orgId, feedId, servers.Redis.ConnectionString);
    }

    /// <summary>
    /// Starts another worker host on the same database, simulator and transport, e.g. <c>Worker:Roles</c> = <c>ingest</c>
    /// when the harness's own worker runs without it; disposing it stops that worker.
    /// </summary>
    public IAsyncDisposable StartWorker(IReadOnlyDictionary<string, string?> settings)
    {
        var all = Transport.Settings.ToDictionary(s => s.Key, string? (s) => s.Value);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var worker = new WorkerFactory(Database.ConnectionString, _redis, Simulator, all, null);
        _ = worker.Services;
        return worker;
    }

    public async Task<Guid> StartRunAsync(RunType? type = null)
    {
        var result = await Services.GetRequiredService<RunTrigger>().StartAsync(OrgId, FeedId, type, "test", CancellationToken.None);
        result.Outcome.ShouldBe(RunTriggerOutcome.Started);
        return result.RunId!.Value;
    }

    /// <summary>Waits until the run reaches a final status and returns it.</summary>
    public async Task<RunView> WaitForRunAsync(Guid runId, TimeSpan timeout, params string[] finalStatuses)
    {
        var statuses = finalStatuses.Length > 0 ? finalStatuses : ["completed", "failed", "cancelled"];
        RunView? run = null;
        await Eventually.TrueAsync(async () =>
        {
            run = await Services.GetRequiredService<RunQueries>().FindAsync(OrgId, runId, CancellationToken.None);
            return run is not null && statuses.Contains(run.Status);
        }, timeout, $"run {runId} reaches {string.Join("/", statuses)} (last seen: {run?.Status})");
        return run!;
    }

    public async Task<T> QuerySingleAsync<T>(string sql, object? parameters = null)
    {
        await using var dataSource = Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var dataSource = Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await Simulator.DisposeAsync();
        await Transport.DisposeAsync();
    }

    private sealed class WorkerFactory(
        string database, string redis, SimulatorServer simulator, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? overrides)
        : WebApplicationFactory<WorkerProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:platformdb", database);
            builder.UseSetting("ConnectionStrings:cache", redis);
            builder.UseSetting("Worker:Roles", "all");
            builder.UseSetting("Messaging:PollIntervalMilliseconds", "200");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                services.AddHttpClient(UpstreamHttp.ClientName).ConfigurePrimaryHttpMessageHandler(simulator.CreateHandler);
                overrides?.Invoke(services);
            });
        }
    }
}
