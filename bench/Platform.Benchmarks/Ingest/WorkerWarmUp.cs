using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Benchmarks.Ingest;

/// <summary>
/// Warms the worker up before the measured run, as a long-lived production worker is: a full run of as many stones as
/// the measured run, from a simulator of its own, for another organization, whose rows are then truncated away, so the
/// measured run starts on empty tables and indexes again. Without it the measured run pays for the JIT compiling and
/// then recompiling every hot method: on a cold worker, <c>perf</c> showed its "Tiered Compilation" thread taking 21 %
/// of the worker's CPU over a 200 000-stone run, 28 % in the pages phase. The JIT promotes a method only after it has
/// run often and compilation has been quiet for a moment, so a short warm-up leaves much of the work to the measured
/// run: after 50 000 stones it still compiled 3 800 methods in its pages phase, after 200 000 about 640.
/// <c>--warm-up N</c> sizes it (default the measured stones); 0 skips it.
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
        // Truncating, not deleting: a deleted warm-up left its tables and indexes bloated, and autovacuum then ran during
        // the measured run (see docs/performance.md, "JIT tiering and the warm-up"). The measured feed is created after
        // this. diamond_events has no foreign key to cascade from (migration 0024), so it is named. Only the queue's
        // tables, which the warm-up's messages went through, are vacuumed: a truncated table's row estimate is "never
        // counted", as on a fresh database, and VACUUM would make it "empty", which a plan made at the measured run's
        // first consolidation step then trusted: a sequential scan of the catalog for every stone (37 s instead of 10).
        await connection.ExecuteAsync(new CommandDefinition("TRUNCATE organizations, diamond_events CASCADE", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("VACUUM queue_messages, outbox_messages", commandTimeout: 300, cancellationToken: cancellationToken));
        return clock.Elapsed;
    }
}
