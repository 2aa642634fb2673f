using System.Diagnostics;
using Platform.Benchmarks.Ingest;
using Platform.Benchmarks.Support;

namespace Platform.Benchmarks.Search;

/// <summary>
/// <c>./bench.sh search</c>: a seeded catalog (500 000 stones by default) read through the api (Release, its own process)
/// at 64 connections with a fixed mix of filtered searches and detail reads — REST then GraphQL with the cache off, then
/// REST with the cache on — against the same mix on a minimal raw-Npgsql endpoint running the same SQL (the baseline).
/// </summary>
public static class SearchBenchmark
{
    public const int Connections = 64;

    public static async Task RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        // Long enough for the JIT's tiered compilation to settle under load: on 2 cores the api kept compiling methods for
        // about 45 s of GraphQL load (DOTNET_JitStdOutFile), and with 10 s of warm-up its tiering thread still took 18 % of
        // its CPU in the measured window (perf, docs/performance.md). Every server gets the same warm-up.
        var warmUp = TimeSpan.FromSeconds(Math.Max(30, arguments.Seconds));
        var duration = TimeSpan.FromSeconds(arguments.Seconds);
        await using var postgres = await PostgresServer.CreateAsync();
        await using var redis = await RedisServer.StartOwnedAsync();
        await using var database = await BenchDatabase.CreateAsync(postgres, "search", cancellationToken);
        await using var dataSource = database.CreateDataSource();
        var seeding = Stopwatch.StartNew();
        var catalog = await SearchCatalog.SeedAsync(dataSource, arguments.Diamonds, cancellationToken);
        Console.WriteLine($"search: {arguments.Diamonds} diamonds seeded in {Figures.Seconds(seeding.Elapsed)}; {Connections} connections,"
            + $" {warmUp.TotalSeconds:0} s warm-up + {duration.TotalSeconds:0} s per phase, {Environment.ProcessorCount} cores; {HugePages.Describe(postgres)}");
        var mix = new SearchMix(catalog.OrgId, catalog.DetailIds);

        LoadFigures? baseline = null;
        if (arguments.RunsPhase("baseline"))
        {
            await using var server = ServiceProcess.ForDll(typeof(BaselineServer).Assembly.Location, FreePort.Next(), new Dictionary<string, string>
            {
                ["PLATFORM_BENCH_ROLE"] = BaselineServer.Role,
                ["BASELINE_DB"] = database.ConnectionString,
                ["BASELINE_ORG"] = catalog.OrgId.ToString(),
            }, "bench-search-baseline");
            await server.StartAsync(TimeSpan.FromMinutes(1));
            baseline = await LoadDriver.RunAsync(new Uri(server.Url), server.ProcessId!.Value, catalog.ApiKey, Connections, warmUp, duration, mix.Rest, cancellationToken);
            Report("baseline (raw Npgsql, same SQL)", baseline);
        }

        LoadFigures? postGraphile = null;
        if (arguments.RunsPhase("postgraphile") && File.Exists(PostGraphileServer.Cli))
        {
            await using var server = await PostGraphileServer.StartAsync(database.ConnectionString, cancellationToken);
            postGraphile = await LoadDriver.RunAsync(new Uri(server.Url), server.ProcessId, catalog.ApiKey, Connections, warmUp, duration, mix.PostGraphile, cancellationToken);
            Report("PostGraphile 4.9.2 + connection-filter", postGraphile);
        }
        else if (arguments.RunsPhase("postgraphile"))
        {
            Console.WriteLine($"  PostGraphile: skipped ({PostGraphileServer.Cli} is missing; ./bench.sh search installs it with npm ci)");
        }

        LoadFigures? rest = null, graphQl = null, cached = null;
        double rss = 0;
        if (arguments.RunsPhase("rest") || arguments.RunsPhase("graphql"))
        {
            await using var api = await StartApiAsync(database, redis, arguments, cacheEnabled: false);
            await using var memory = new PeakRss(api.ProcessId!.Value);
            if (arguments.RunsPhase("rest"))
            {
                rest = await LoadDriver.RunAsync(new Uri(api.Url), api.ProcessId!.Value, catalog.ApiKey, Connections, warmUp, duration, mix.Rest, cancellationToken);
                Report("REST, cache off", rest);
            }
            if (arguments.RunsPhase("graphql"))
            {
                graphQl = await LoadDriver.RunAsync(new Uri(api.Url), api.ProcessId!.Value, catalog.ApiKey, Connections, warmUp, duration, mix.GraphQl, cancellationToken);
                Report("GraphQL, cache off", graphQl);
            }
            rss = memory.PeakMegabytes;
        }
        if (arguments.RunsPhase("cached"))
        {
            await using var api = await StartApiAsync(database, redis, arguments, cacheEnabled: true);
            await using var memory = new PeakRss(api.ProcessId!.Value);
            cached = await LoadDriver.RunAsync(new Uri(api.Url), api.ProcessId!.Value, catalog.ApiKey, Connections, warmUp, duration, mix.Rest, cancellationToken);
            Report("REST, cache on", cached);
            rss = Math.Max(rss, memory.PeakMegabytes);
        }
        if (baseline is null || rest is null || graphQl is null || cached is null)
        {
            Console.WriteLine($"search: only the phases {string.Join(", ", arguments.Phases ?? new HashSet<string>())} ran, so there is no summary line (api RSS {Figures.Format(rss)} MB)");
            return;
        }

        Console.WriteLine($"  ratios: rest/baseline={Figures.Format(rest.RequestsPerSecond / baseline.RequestsPerSecond)} (goal ≥ 0.6)"
            + $" graphql/rest={Figures.Format(graphQl.RequestsPerSecond / rest.RequestsPerSecond)} (goal ≥ 0.8)"
            + $" cached/uncached={Figures.Format(cached.RequestsPerSecond / rest.RequestsPerSecond)} (goal ≥ 5);"
            + $" REST p95 cache off {Figures.Format(rest.P95Milliseconds)} ms, cache on {Figures.Format(cached.P95Milliseconds)} ms (goal < 20 ms); RSS goal < 300 MB");
        if (postGraphile is not null)
        {
            Console.WriteLine($"  versus PostGraphile: graphql/postgraphile={Figures.Format(graphQl.RequestsPerSecond / postGraphile.RequestsPerSecond)}"
                + $" rest/postgraphile={Figures.Format(rest.RequestsPerSecond / postGraphile.RequestsPerSecond)} (goal ≥ 2)");
        }
        Console.WriteLine($"search rest_rps={Figures.Format(rest.RequestsPerSecond)} rest_p95_ms={Figures.Format(rest.P95Milliseconds)}"
            + $" graphql_rps={Figures.Format(graphQl.RequestsPerSecond)} graphql_p95_ms={Figures.Format(graphQl.P95Milliseconds)}"
            + $" cached_rps={Figures.Format(cached.RequestsPerSecond)} baseline_rps={Figures.Format(baseline.RequestsPerSecond)} rss_mb={Figures.Format(rss)}");
    }

    private static async Task<ServiceProcess> StartApiAsync(BenchDatabase database, RedisServer redis, BenchArguments arguments, bool cacheEnabled)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__platformdb"] = database.ConnectionString,
            ["ConnectionStrings__cache"] = redis.ConnectionString,
            ["Catalog__Cache__Enabled"] = cacheEnabled ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
            // Per-key budgets from the organization's plan would cap the cached phase; the raised limits below apply instead.
            ["RateLimits__OrganizationRates"] = "false",
        };
        // The benchmark measures the api, not its limits: every policy gets a budget no run can spend.
        foreach (var policy in (string[])["Public", "CatalogRead", "CatalogWrite", "Admin"])
        {
            environment[$"RateLimits__{policy}__PermitLimit"] = "1000000";
        }
        foreach (var (key, value) in arguments.ApiSettings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var api = new ServiceProcess("Platform.Api", FreePort.Next(), environment, cacheEnabled ? "bench-search-api-cached" : "bench-search-api");
        await api.StartAsync(TimeSpan.FromMinutes(1));
        return api;
    }

    private static void Report(string phase, LoadFigures figures) =>
        Console.WriteLine($"  {phase}: {Figures.Format(figures.RequestsPerSecond)} req/s, p50 {Figures.Format(figures.P50Milliseconds)} ms,"
            + $" p95 {Figures.Format(figures.P95Milliseconds)} ms ({figures.Requests} requests), server CPU {Figures.Format(figures.ServerCpuMilliseconds)} ms per request");
}
