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
        Console.WriteLine($"ingest: {stones} stones, pages of {BenchFeed.PageSize}, {readers} pages in flight on both sides, {Environment.ProcessorCount} cores; {HugePages.Describe(postgres)}");

        var rounds = new List<RoundFigures>();
        for (var round = 1; round <= arguments.Rounds; round++)
        {
            if (arguments.Rounds > 1)
            {
                Console.WriteLine($"round {round} of {arguments.Rounds}");
            }
            rounds.Add(await MeasureRoundAsync(postgres, redis, simulator, arguments, settings, readers, cancellationToken));
        }

        // With several rounds, each round's pipeline is compared with the baseline measured right after it, and the
        // medians are reported: a minute in which the whole machine is slower moves both sides of that round only.
        // Nearest-rank medians: with an even number of rounds, the lower of the two middle ones.
        var itemsPerSecond = Figures.Percentile([.. rounds.Select(r => r.ItemsPerSecond)], 50);
        var baselinePerSecond = Figures.Percentile([.. rounds.Select(r => r.BaselinePerSecond)], 50);
        var ratio = Figures.Percentile([.. rounds.Select(r => r.Ratio)], 50);
        var peakRss = rounds.Max(r => r.PeakRssMegabytes);
        if (rounds.Count > 1)
        {
            Console.WriteLine($"  rounds (items/s, baseline items/s, ratio): {string.Join("; ", rounds.Select(r =>
                $"{Figures.Format(r.ItemsPerSecond)}, {Figures.Format(r.BaselinePerSecond)}, {Figures.Format(r.Ratio)}"))}; medians below");
        }
        Console.WriteLine($"ingest items_per_s={Figures.Format(itemsPerSecond)} baseline_items_per_s={Figures.Format(baselinePerSecond)}"
            + $" ratio={Figures.Format(ratio)} rss_mb={Figures.Format(peakRss)}"
            + $" page_size={BenchFeed.PageSize} stones={stones}" + (rounds.Count > 1 ? $" rounds={rounds.Count}" : ""));
    }

    private static async Task<RoundFigures> MeasureRoundAsync(
        PostgresServer postgres, RedisServer redis, ServiceProcess simulator, BenchArguments arguments,
        IReadOnlyDictionary<string, string> settings, int readers, CancellationToken cancellationToken)
    {
        var pipeline = await PipelineRun.MeasureAsync(postgres, redis, simulator, arguments, cancellationToken);
        var run = pipeline.Run;
        Console.WriteLine($"  pipeline: {Figures.Seconds(pipeline.Elapsed)} trigger→completed = scan {Figures.Seconds(run.StartedAt - run.CreatedAt)}"
            + $" + pages {Figures.Seconds(run.ConsolidationStartedAt - run.StartedAt)} + consolidation {Figures.Seconds(run.CompletedAt - run.ConsolidationStartedAt)}"
            + $" ({run.PartitionsTotal} partitions, {run.HeatmapApiCalls} count calls); worker peak RSS {Figures.Format(pipeline.PeakRssMegabytes)} MB");
        Console.WriteLine($"  pipeline CPU until consolidation: {pipeline.PagesCpu}");
        Console.WriteLine($"  pipeline CPU in consolidation: {pipeline.ConsolidationCpu}");
        Console.WriteLine($"  worker settings: {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}; log: {pipeline.WorkerLog}");

        var baseline = await CopyBaseline.MeasureAsync(postgres, simulator, arguments.Stones, readers, cancellationToken);
        Console.WriteLine($"  baseline: {Figures.Seconds(baseline.Elapsed)} = HTTP fetch + binary COPY {Figures.Seconds(baseline.FetchAndCopy)}"
            + $" + one INSERT … SELECT … ON CONFLICT {Figures.Seconds(baseline.Upsert)}");
        Console.WriteLine($"  baseline CPU: {baseline.Cpu}");
        return new RoundFigures(
            arguments.Stones / pipeline.Elapsed.TotalSeconds, arguments.Stones / baseline.Elapsed.TotalSeconds, pipeline.PeakRssMegabytes);
    }

    private sealed record RoundFigures(double ItemsPerSecond, double BaselinePerSecond, double PeakRssMegabytes)
    {
        /// <summary>The round's own ratio: its pipeline against the baseline measured right after it.</summary>
        public double Ratio => ItemsPerSecond / BaselinePerSecond;
    }
}
