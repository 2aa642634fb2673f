using Platform.Benchmarks.Baselines;

namespace Platform.Benchmarks.Ingest;

/// <summary>
/// <c>./bench.sh ingest</c>: N simulated stones from the feed simulator into the priced catalog, by the real pipeline
/// (one worker process) and by the physical limit (HTTP fetch + COPY + one set-based upsert), side by side on one
/// throwaway cluster, each on a fresh database.
/// </summary>
public static class IngestBenchmark
{
    public static async Task RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        var stones = arguments.Stones;
        var settings = PipelineRun.WorkerSettings(arguments);
        var readers = int.Parse(settings[PipelineRun.PageConcurrency]);
        await using var postgres = await PostgresServer.CreateAsync();
        await using var redis = await RedisServer.StartOwnedAsync();
        await using var simulator = new ServiceProcess("Platform.FeedSimulator", FreePort.Next(),
            new Dictionary<string, string> { ["Simulator__Size"] = stones.ToString(), ["Logging__LogLevel__Default"] = "Warning" }, "bench-feedsim");
        await simulator.StartAsync(TimeSpan.FromMinutes(2));
        await SimulatorWarmUp.RunAsync(new Uri(simulator.Url), stones, readers, cancellationToken);
        Console.WriteLine($"ingest: {stones} stones, pages of {BenchFeed.PageSize}, {readers} pages in flight on both sides, {Environment.ProcessorCount} cores");

        var pipeline = await PipelineRun.MeasureAsync(postgres, redis, simulator, arguments, cancellationToken);
        var run = pipeline.Run;
        Console.WriteLine($"  pipeline: {Figures.Seconds(pipeline.Elapsed)} trigger→completed = scan {Figures.Seconds(run.StartedAt - run.CreatedAt)}"
            + $" + pages {Figures.Seconds(run.ConsolidationStartedAt - run.StartedAt)} + consolidation {Figures.Seconds(run.CompletedAt - run.ConsolidationStartedAt)}"
            + $" ({run.PartitionsTotal} partitions, {run.HeatmapApiCalls} count calls); worker peak RSS {Figures.Format(pipeline.PeakRssMegabytes)} MB");
        Console.WriteLine($"  pipeline CPU until consolidation: {pipeline.PagesCpu}");
        Console.WriteLine($"  pipeline CPU in consolidation: {pipeline.ConsolidationCpu}");
        Console.WriteLine($"  worker settings: {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}; log: {pipeline.WorkerLog}");

        var baseline = await CopyBaseline.MeasureAsync(postgres, simulator, stones, readers, cancellationToken);
        Console.WriteLine($"  baseline: {Figures.Seconds(baseline.Elapsed)} = HTTP fetch + binary COPY {Figures.Seconds(baseline.FetchAndCopy)}"
            + $" + one INSERT … SELECT … ON CONFLICT {Figures.Seconds(baseline.Upsert)}");
        Console.WriteLine($"  baseline CPU: {baseline.Cpu}");

        var itemsPerSecond = stones / pipeline.Elapsed.TotalSeconds;
        var baselinePerSecond = stones / baseline.Elapsed.TotalSeconds;
        Console.WriteLine($"ingest items_per_s={Figures.Format(itemsPerSecond)} baseline_items_per_s={Figures.Format(baselinePerSecond)}"
            + $" ratio={Figures.Format(itemsPerSecond / baselinePerSecond)} rss_mb={Figures.Format(pipeline.PeakRssMegabytes)}"
            + $" page_size={BenchFeed.PageSize} stones={stones}");
    }
}
