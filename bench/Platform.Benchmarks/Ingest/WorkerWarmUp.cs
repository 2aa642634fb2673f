using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Benchmarks.Ingest;

/// <summary>
/// Warms the worker up before the measured run, as a long-lived production worker is: a full run of a small simulator
/// for another organization, which is then deleted (every table cascades from <c>organizations</c>) and vacuumed away,
/// so the measured run starts on empty tables again. Without it the measured run pays for the JIT compiling and then
/// recompiling every hot method: on a cold worker, <c>perf</c> showed its "Tiered Compilation" thread taking 21 % of
/// the worker's CPU over a 200 000-stone run, 28 % in the pages phase. The JIT promotes a method only after it has run
/// often and compilation has been quiet for a moment, so a short warm-up leaves most of the work to the measured run:
/// after 20 000 stones the measured run still compiled 6 700 methods, after 50 000 about 2 700. <c>--warm-up N</c>
/// sizes it (default a quarter of the measured stones); 0 skips it.
/// </summary>
public static class WorkerWarmUp
{
    public static async Task<TimeSpan> RunAsync(
        int stones, NpgsqlDataSource dataSource, ServiceProcess worker, RunTrigger trigger, RunQueries runs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var simulator = new ServiceProcess("Platform.FeedSimulator", FreePort.Next(),
            new Dictionary<string, string> { ["Simulator__Size"] = stones.ToString(), ["Logging__LogLevel__Default"] = "Warning" }, "bench-feedsim-warmup");
        await simulator.StartAsync(TimeSpan.FromMinutes(2));
        var feed = await BenchFeed.CreateAsync(dataSource, simulator.Url, cancellationToken, slug: "bench-warm-up");
        var started = await trigger.StartAsync(feed.OrgId, feed.FeedId, RunType.Full, "benchmark warm-up", cancellationToken);
        var runId = started.RunId ?? throw new BenchmarkFailedException($"The warm-up run did not start: {started.Outcome}.");
        var run = await PipelineRun.WaitForAsync(runs, feed.OrgId, runId, worker, PipelineRun.Ended, cancellationToken);
        if (run.Status != "completed")
        {
            throw new BenchmarkFailedException($"The warm-up run ended {run.Status}: {run.Error}; worker log: {worker.LogPath}");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM organizations WHERE id = @OrgId", feed, cancellationToken: cancellationToken));
        // VACUUM frees the deleted rows' space and sets the tables' row estimates back to zero, as on a fresh database.
        await connection.ExecuteAsync(new CommandDefinition("VACUUM", commandTimeout: 300, cancellationToken: cancellationToken));
        return clock.Elapsed;
    }
}
