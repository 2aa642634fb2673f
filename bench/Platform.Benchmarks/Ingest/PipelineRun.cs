using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.Benchmarks.Ingest;

/// <summary>What one pipeline run took: wall time from trigger to <c>completed</c>, the run's own phase stamps, the worker's peak RSS.</summary>
public sealed record PipelineResult(TimeSpan Elapsed, RunView Run, double PeakRssMegabytes, string PagesCpu, string ConsolidationCpu, string WorkerLog);

/// <summary>
/// The real pipeline on a fresh database: ONE worker process running every role (Release build, default leases), warmed
/// up first (<see cref="WorkerWarmUp"/>), the simulator as its feed, a full run triggered as the api would, polled until it completes.
/// </summary>
public static class PipelineRun
{
    public const string PageConcurrency = "Messaging__Queues__ingest.page__Concurrency";

    /// <summary>The worker's tunable settings: the shipped page concurrency unless <c>--worker KEY=VALUE</c> overrides it or adds others.</summary>
    public static IReadOnlyDictionary<string, string> WorkerSettings(BenchArguments arguments)
    {
        // As in the worker's appsettings.json; the baseline fetches with as many readers.
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { [PageConcurrency] = "16" };
        foreach (var (key, value) in arguments.WorkerSettings)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);
    internal static readonly string[] Ended = ["completed", "failed", "cancelled", "partial"];

    public static async Task<PipelineResult> MeasureAsync(
        PostgresServer postgres, RedisServer redis, ServiceProcess simulator, BenchArguments arguments, CancellationToken cancellationToken)
    {
        var stones = arguments.Stones;
        DapperConventions.Apply();
        await using var database = await BenchDatabase.CreateAsync(postgres, "bench_pipeline", cancellationToken);
        await using var dataSource = database.CreateDataSource();

        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__platformdb"] = database.ConnectionStringWith(arguments.NpgsqlSettings),
            ["ConnectionStrings__cache"] = redis.ConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Worker__Roles"] = "all",
        };
        foreach (var (key, value) in WorkerSettings(arguments))
        {
            environment[key] = value;
        }
        await using var worker = new ServiceProcess("Platform.Worker", FreePort.Next(), environment, "bench-worker");
        await worker.StartAsync();
        var workerId = worker.ProcessId ?? throw new BenchmarkFailedException("The worker is not running.");
        var publisher = new PostgresPublisher(dataSource, Options.Create(new MessagingOptions()), TimeProvider.System);
        var trigger = new RunTrigger(dataSource, publisher, TimeProvider.System, Options.Create(new PipelineOptions()));
        var runs = new RunQueries(dataSource);
        if (arguments.WarmUpStones > 0)
        {
            var warmUp = await WorkerWarmUp.RunAsync(arguments.WarmUpStones, dataSource, worker, trigger, runs, cancellationToken);
            Console.WriteLine($"  worker warmed up by a full run of {arguments.WarmUpStones} stones for another organization, truncated away before measuring ({Figures.Seconds(warmUp)})");
        }
        var feed = await BenchFeed.CreateAsync(dataSource, simulator.Url, cancellationToken);

        await using var rss = new PeakRss(workerId);
        var processes = new Dictionary<string, int> { ["worker"] = workerId, ["simulator"] = simulator.ProcessId!.Value };
        var cpu = CpuMeter.Start(processes);
        var clock = Stopwatch.StartNew();
        var started = await trigger.StartAsync(feed.OrgId, feed.FeedId, RunType.Full, "benchmark", cancellationToken);
        var runId = started.RunId ?? throw new BenchmarkFailedException($"The run did not start: {started.Outcome}.");
        await WaitForAsync(runs, feed.OrgId, runId, worker, ["consolidating", .. Ended], cancellationToken);
        var pagesCpu = cpu.Stop();
        cpu = CpuMeter.Start(processes);
        var run = await WaitForAsync(runs, feed.OrgId, runId, worker, Ended, cancellationToken);
        var elapsed = clock.Elapsed;
        var peak = rss.PeakMegabytes;
        var consolidationCpu = cpu.Stop();

        if (run.Status != "completed")
        {
            throw new BenchmarkFailedException($"Run {runId} ended {run.Status}: {run.Error}; worker log: {worker.LogPath}");
        }
        var catalog = await feed.CatalogCountAsync(dataSource, cancellationToken);
        if (catalog != stones)
        {
            throw new BenchmarkFailedException($"The pipeline's catalog holds {catalog} active stones, not {stones}; worker log: {worker.LogPath}");
        }
        return new PipelineResult(elapsed, run, peak, pagesCpu, consolidationCpu, worker.LogPath);
    }

    /// <summary>Polls the run every 50 ms until its status is one of <paramref name="statuses"/>, within the run timeout.</summary>
    internal static async Task<RunView> WaitForAsync(
        RunQueries runs, Guid orgId, Guid runId, ServiceProcess worker, string[] statuses, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            while (true)
            {
                if (await runs.FindAsync(orgId, runId, timeout.Token) is { } run && statuses.Contains(run.Status))
                {
                    return run;
                }
                if (!worker.IsRunning)
                {
                    throw new BenchmarkFailedException($"The worker exited mid-run; see {worker.LogPath}");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchmarkFailedException($"Run {runId} did not complete within {RunTimeout.TotalMinutes} min; worker log: {worker.LogPath}");
        }
    }
}
