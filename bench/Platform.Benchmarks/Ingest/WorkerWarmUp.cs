using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Benchmarks.Ingest;

/// <summary>
/// Warms the worker up before the measured run, as a long-lived production worker is: two full runs of a small simulator,
/// each for another organization that is then deleted (every table cascades from <c>organizations</c>), and a vacuum,
/// so the measured run starts on empty tables again. Without it the measured run pays for the JIT compiling and then
/// recompiling every hot method: on a cold worker, <c>perf</c> showed its "Tiered Compilation" thread taking 21 % of
/// the worker's CPU over a 200 000-stone run, 28 % in the pages phase. The JIT promotes a method only after it has been
/// called often with call counting on, and counting starts only once compilation has been quiet for 100 ms, so one
/// continuous run left much of the promoting to the measured run: after a 50 000-stone run the measured run still
/// compiled about 2 700 methods, and with the quiet period at 0 (<c>DOTNET_TC_CallCountingDelayMs=0</c>) the worker's
/// CPU in the pages phase fell from 6.1–7.2 s to 4.5–5.9 s. In a second run, methods the first one left at tier 0 can
/// be promoted before measuring, as in a worker that has run for minutes; measured, that gain is within the noise
/// (docs/performance.md, "JIT tiering and the warm-up"). <c>--warm-up N</c> sizes it (N stones in all, default a
/// quarter of the measured stones); 0 skips it.
/// </summary>
public static class WorkerWarmUp
{
    public static async Task<TimeSpan> RunAsync(
        int stones, NpgsqlDataSource dataSource, ServiceProcess worker, RunTrigger trigger, RunQueries runs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var simulator = new ServiceProcess("Platform.FeedSimulator", FreePort.Next(),
            new Dictionary<string, string> { ["Simulator__Size"] = Math.Max(1, stones / 2).ToString(), ["Logging__LogLevel__Default"] = "Warning" },
            "bench-feedsim-warmup");
        await simulator.StartAsync(TimeSpan.FromMinutes(2));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var slug in (string[])["bench-warm-up-1", "bench-warm-up-2"])
        {
            var feed = await BenchFeed.CreateAsync(dataSource, simulator.Url, cancellationToken, slug);
            var started = await trigger.StartAsync(feed.OrgId, feed.FeedId, RunType.Full, "benchmark warm-up", cancellationToken);
            var runId = started.RunId ?? throw new BenchmarkFailedException($"The warm-up run did not start: {started.Outcome}.");
            var run = await PipelineRun.WaitForAsync(runs, feed.OrgId, runId, worker, PipelineRun.Ended, cancellationToken);
            if (run.Status != "completed")
            {
                throw new BenchmarkFailedException($"The warm-up run ended {run.Status}: {run.Error}; worker log: {worker.LogPath}");
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM organizations WHERE id = @OrgId", feed, cancellationToken: cancellationToken));
        }
        // VACUUM frees the deleted rows' space and sets the tables' row estimates back to zero, as on a fresh database.
        await connection.ExecuteAsync(new CommandDefinition("VACUUM", commandTimeout: 300, cancellationToken: cancellationToken));
        return clock.Elapsed;
    }
}
