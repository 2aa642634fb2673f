using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Outbox;
using Platform.Infrastructure.Messaging.Postgres;
using Platform.IntegrationTests.Messaging;

namespace Platform.IntegrationTests.Reliability;

/// <summary>
/// The pipeline as separate OS processes — the feed simulator and one worker per role — over a test database,
/// so tests can SIGKILL any of them mid-run and start it again, as a crashing container would.
/// </summary>
public sealed class ProcessTopology : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private ProcessTopology(
        NpgsqlDataSource dataSource, ServiceProcess simulator, IReadOnlyDictionary<string, ServiceProcess> workers, TestTransport transport, Guid orgId, Guid feedId)
    {
        _dataSource = dataSource;
        Transport = transport;
        Simulator = simulator;
        Workers = workers;
        OrgId = orgId;
        FeedId = feedId;
        // The test publishes like the api would: into the queue table, or into the outbox for the dispatcher to relay.
        IMessagePublisher publisher = transport.IsServiceBus
            ? new OutboxPublisher(dataSource, TimeProvider.System)
            : new PostgresPublisher(dataSource, Options.Create(new MessagingOptions()), TimeProvider.System);
        Trigger = new RunTrigger(dataSource, publisher, TimeProvider.System, Options.Create(new PipelineOptions()));
        Runs = new RunQueries(dataSource);
    }

    public ServiceProcess Simulator { get; }
    public TestTransport Transport { get; }
    public IReadOnlyDictionary<string, ServiceProcess> Workers { get; }
    public Guid OrgId { get; }
    public Guid FeedId { get; }
    public RunTrigger Trigger { get; }
    public RunQueries Runs { get; }

    public static async Task<ProcessTopology> StartAsync(
        string databaseConnectionString, string redisConnectionString, int stones, int consolidationBatch, int consolidators = 1,
        IReadOnlyDictionary<string, string>? workerSettings = null, string logPrefix = "worker", string transport = MessagingOptions.Postgres)
    {
        // Short leases: a killed worker's messages come back within seconds, not the production two minutes.
        var leases = new Dictionary<string, int> { [QueueNames.IngestPage] = 3, [QueueNames.IngestConsolidate] = 5, [QueueNames.IngestScan] = 10 };
        var messaging = await TestTransport.StartAsync(transport, leases);
        DapperConventions.Apply();
        var dataSource = NpgsqlDataSource.Create(databaseConnectionString);
        var simulator = new ServiceProcess("Platform.FeedSimulator", FreePort.Next(),
            new Dictionary<string, string> { ["Simulator__Size"] = stones.ToString(), ["Logging__LogLevel__Default"] = "Warning" }, "feedsim");
        var orgId = Guid.CreateVersion7();
        var feedId = Guid.CreateVersion7();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Crash test', 'pro');
                INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps) VALUES (@feedId, @orgId, 'sim', 'simulator', @config::jsonb, @rps);
                """, new
            {
                orgId, feedId, slug = $"crash-{orgId:N}"[..20],
                config = JsonSerializer.Serialize(new { baseUrl = simulator.Url }), rps = UpstreamRateLimit.Unlimited,
            });
        }
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__platformdb"] = databaseConnectionString,
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Messaging__PollIntervalMilliseconds"] = "200",
            ["Messaging__Defaults__RetryBaseSeconds"] = "0.2",
            ["Pipeline__ConsolidationBatchSize"] = consolidationBatch.ToString(),
            ["Pipeline__StalledPartitionMinutes"] = "1",
            ["Maintenance__IntervalSeconds"] = "5",
            // At least one chain per consolidator process, so competing processes really share a run.
            ["Pipeline__ConsolidationChains"] = Math.Max(2, consolidators).ToString(),
        };
        foreach (var (queue, seconds) in leases)
        {
            environment[$"Messaging__Queues__{queue}__LeaseSeconds"] = seconds.ToString();
        }
        foreach (var (key, value) in messaging.Environment.Concat(workerSettings ?? new Dictionary<string, string>()))
        {
            environment[key] = value;
        }
        // Worker name → role; extra consolidators are "consolidator2", "consolidator3", ….
        // The scheduler process also runs maintenance: a message whose handler was killed on every one of its attempts
        // is dead-lettered like any poison message, and the stalled-partition rescue is what recovers its work.
        var roles = new Dictionary<string, string> { ["scheduler"] = "scheduler,maintenance", ["ingest"] = "ingest" };
        for (var i = 1; i <= consolidators; i++)
        {
            roles[i == 1 ? "consolidator" : $"consolidator{i}"] = "consolidator";
        }
        if (messaging.IsServiceBus)
        {
            // The outbox relay in its own process, so tests can kill it on its own.
            roles["dispatcher"] = "dispatcher";
        }
        var workers = roles.ToDictionary(
            worker => worker.Key,
            worker => new ServiceProcess("Platform.Worker", FreePort.Next(),
                new Dictionary<string, string>(environment) { ["Worker__Roles"] = worker.Value }, $"{logPrefix}-{worker.Key}"));
        await simulator.StartAsync();
        await Task.WhenAll(workers.Values.Select(w => w.StartAsync()));
        return new ProcessTopology(dataSource, simulator, workers, messaging, orgId, feedId);
    }

    public async Task<Guid> StartRunAsync(RunType? type = null)
    {
        var result = await Trigger.StartAsync(OrgId, FeedId, type, "crash-test", CancellationToken.None);
        result.Outcome.ShouldBe(RunTriggerOutcome.Started);
        return result.RunId!.Value;
    }

    public Task<RunView?> RunAsync(Guid runId) => Runs.FindAsync(OrgId, runId, CancellationToken.None);

    public async Task<int> MutatePricesAsync(double fraction, int seed)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Simulator.Url) };
        var response = await http.PostAsJsonAsync("/admin/mutations", new { fraction, seed, kinds = new[] { "price" } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetInt32();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value: {sql}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers.Values)
        {
            await worker.DisposeAsync();
        }
        await Simulator.DisposeAsync();
        await Transport.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
