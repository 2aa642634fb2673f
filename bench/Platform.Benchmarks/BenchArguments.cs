namespace Platform.Benchmarks;

/// <summary>
/// <c>ingest|queue|search|all [--stones N] [--warm-up N] [--messages N] [--diamonds N] [--seconds N] [--phases LIST] [--rounds N] [--worker KEY=VALUE]… [--api KEY=VALUE]… [--npgsql SETTINGS]</c>. <c>--worker</c> passes a
/// setting to the ingest worker process as an environment variable, e.g. <c>--worker Pipeline__ConsolidationBatchSize=5000</c>;
/// <c>--npgsql</c> appends connection-string settings for the measured side (the worker, the queue consumers), e.g.
/// <c>--npgsql "No Reset On Close=true"</c>; <c>--api</c> does the same for the search benchmark's api processes, e.g.
/// <c>--api DOTNET_gcServer=0</c>. Baselines are never changed by any of them. <c>--phases</c> runs only some phases of the
/// search benchmark (comma-separated, of <see cref="SearchPhases"/>), for quick comparisons; without all of them there is no summary line.
/// <c>--warm-up N</c> sizes the ingest worker's warm-up run (<see cref="Ingest.WorkerWarmUp"/>, default as many as <c>--stones</c>); 0 measures a cold worker.
/// <c>--rounds N</c> (1–9) measures ingest N times, pipeline then baseline each time, and reports the medians, so one slow
/// minute of a noisy machine does not decide the ratio.
/// </summary>
public sealed record BenchArguments(
    string Command, int Stones, int Messages, IReadOnlyDictionary<string, string> WorkerSettings, string NpgsqlSettings, int Diamonds = 500_000, int Seconds = 20,
    IReadOnlySet<string>? Phases = null, IReadOnlyDictionary<string, string>? ApiSettings = null, int WarmUpStones = 0, int Rounds = 1)
{
    public static readonly IReadOnlyList<string> SearchPhases = ["baseline", "postgraphile", "rest", "graphql", "cached"];

    public const string Usage =
        "usage: Platform.Benchmarks <ingest|queue|search|all> [--stones N (200000)] [--warm-up N (as many as --stones; 0 = cold worker)] [--messages N (50000)] [--diamonds N (500000)] [--seconds N (20)] [--phases baseline,postgraphile,rest,graphql,cached] [--rounds N (1, ingest)] [--worker KEY=VALUE]... [--api KEY=VALUE]... [--npgsql SETTINGS]";

    /// <summary>The deadline of one invocation, every benchmark included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(45);

    public bool Runs(string benchmark) => Command == "all" || Command == benchmark;

    public bool RunsPhase(string phase) => Phases is null || Phases.Contains(phase);

    public static BenchArguments? Parse(IReadOnlyList<string> args)
    {
        var first = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? 1 : 0;
        var command = first == 1 ? args[0] : "all";
        if (command is not ("ingest" or "queue" or "search" or "all"))
        {
            return null;
        }
        int stones = 200_000, messages = 50_000, diamonds = 500_000, seconds = 20, warmUp = -1, rounds = 1;
        var worker = new Dictionary<string, string>(StringComparer.Ordinal);
        var api = new Dictionary<string, string>(StringComparer.Ordinal);
        var npgsql = "";
        HashSet<string>? phases = null;
        for (var i = first; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : "";
            switch (args[i])
            {
                case "--stones" when int.TryParse(value, out stones) && stones > 0:
                case "--warm-up" when int.TryParse(value, out warmUp) && warmUp >= 0:
                case "--messages" when int.TryParse(value, out messages) && messages >= 4:
                case "--diamonds" when int.TryParse(value, out diamonds) && diamonds >= 1_000:
                case "--seconds" when int.TryParse(value, out seconds) && seconds is >= 2 and <= 600:
                case "--rounds" when int.TryParse(value, out rounds) && rounds is >= 1 and <= 9:
                case "--npgsql" when (npgsql = value).Length > 0:
                case "--phases" when (phases = [.. value.Split(',', StringSplitOptions.TrimEntries)]).All(SearchPhases.Contains):
                case "--worker" when value.Split('=', 2) is [{ Length: > 0 } key, var setting] && worker.TryAdd(key, setting):
                case "--api" when value.Split('=', 2) is [{ Length: > 0 } apiKey, var apiSetting] && api.TryAdd(apiKey, apiSetting):
                    break;
                default:
                    return null;
            }
        }
        return new BenchArguments(command, stones, messages, worker, npgsql, diamonds, seconds, phases, api, warmUp >= 0 ? warmUp : stones, rounds);
    }
}
