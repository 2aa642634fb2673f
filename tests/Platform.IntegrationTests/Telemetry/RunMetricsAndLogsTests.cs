using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.Reliability;

namespace Platform.IntegrationTests.Telemetry;

/// <summary>
/// A run through real processes — the api and one worker per role — and what operators then see: each process's
/// <c>/metrics</c> with counts that match the run, no ids among the labels, and JSON log lines that carry the run's
/// trace id and no key. Separate processes, because meters are process-wide: in-process hosts of parallel tests would
/// add to each other's counters.
/// </summary>
public sealed partial class RunMetricsAndLogsTests(PlatformServers servers)
{
    private const int Stones = 600;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Logging__LogLevel__Platform"] = "Information",
        ["Telemetry__GaugeRefreshSeconds"] = "1",
        // The page handler's per-partition lines, to check they carry the partition's scope.
        ["Logging__LogLevel__Platform.Infrastructure.Ingestion.Pages"] = "Debug",
    };

    [Fact]
    public async Task After_a_run_metrics_match_it_carry_no_ids_and_logs_carry_its_trace_id_scopes_and_no_secrets()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var topology = await ProcessTopology.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, Stones, consolidationBatch: 150,
            workerSettings: Settings, logPrefix: "telemetry-worker");
        await using var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-telemetry", Settings);
        var key = await CreateAdminKeyAsync(database, topology.OrgId);
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);

        var response = await http.PostAsJsonAsync($"/api/v1/feeds/{topology.FeedId}/runs", new { type = "full" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetGuid();
        await Eventually.TrueAsync(async () => (await topology.RunAsync(runId))?.Status is "completed" or "failed",
            TimeSpan.FromMinutes(2), "the run ends");
        var run = (await topology.RunAsync(runId))!;
        run.Status.ShouldBe("completed");
        var catalog = await topology.ScalarAsync<long>("SELECT count(*) FROM diamonds WHERE status = 'active'");
        catalog.ShouldBe(Stones);
        var pages = await topology.ScalarAsync<long>(
            "SELECT sum(p.next_offset / r.page_limit + 1) FROM run_partitions p JOIN pipeline_runs r ON r.id = p.run_id WHERE p.run_id = @runId", new { runId });
        (await http.GetAsync("/api/v1/organization/nope", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var scheduler = await PrometheusScrape.ReadAsync(topology.Workers["scheduler"].Url);
        var ingest = await PrometheusScrape.ReadAsync(topology.Workers["ingest"].Url);
        var consolidator = await PrometheusScrape.ReadAsync(topology.Workers["consolidator"].Url);
        var apiMetrics = await PrometheusScrape.ReadAsync(api.Url);

        // The run, counted where it happened.
        ingest.Sum("platform_pipeline_items_ingested_total").ShouldBe(catalog);
        ingest.Sum("platform_pipeline_pages_processed_total").ShouldBe(pages);
        // Every page message handled was processed, skipped (a duplicate delivery) or failed.
        ingest.Sum("platform_messaging_handler_duration_seconds_count", "queue=ingest.page", "outcome=completed").ShouldBe(
            pages + ingest.Sum("platform_pipeline_pages_skipped_total") + ingest.Sum("platform_pipeline_pages_failed_total"));
        // A duplicate delivery may fetch before its compare-and-set finds the page already written.
        ingest.Sum("platform_upstream_request_duration_seconds_count", "operation=search").ShouldBeInRange(pages, pages + ingest.Sum("platform_pipeline_pages_skipped_total"));
        ingest.Has("platform_messaging_pickup_delay_seconds_count").ShouldBeTrue();
        consolidator.Sum("platform_pipeline_items_consolidated_total", "outcome=done").ShouldBe(catalog);
        consolidator.Sum("platform_pipeline_runs_finished_total", "status=completed", "run_type=full").ShouldBe(1);
        consolidator.Sum("platform_pipeline_run_duration_seconds_count").ShouldBe(1);
        consolidator.Sum("platform_pipeline_consolidation_step_duration_seconds_count").ShouldBeGreaterThanOrEqualTo(Stones / 150);
        // A scan whose lease ran out on this slow machine is scanned again (and its partitions are not created twice).
        scheduler.Sum("platform_pipeline_heatmap_api_calls_count", "run_type=full").ShouldBeGreaterThanOrEqualTo(1);
        scheduler.Sum("platform_pipeline_heatmap_api_calls_sum").ShouldBeGreaterThanOrEqualTo(run.HeatmapApiCalls!.Value);
        apiMetrics.Sum("http_server_request_duration_seconds_count", "http_route=/api/v1/feeds/{feedId:guid}/runs", "http_response_status_code=202").ShouldBe(1);
        apiMetrics.Sum("platform_errors_total", "category=client").ShouldBeGreaterThanOrEqualTo(1);

        // Sampled gauges: every known queue is reported, empty once the run is done; no run holds capacity.
        await Eventually.TrueAsync(async () =>
        {
            var gauges = await PrometheusScrape.ReadAsync(api.Url);
            return gauges.Samples.Count(s => s.Name == "platform_messaging_queue_depth") == 9
                && gauges.Sum("platform_messaging_queue_depth") == 0
                && gauges.Sum("platform_messaging_queue_oldest_age_seconds") == 0
                && gauges.Samples.Count(s => s.Name == "platform_pipeline_runs_active") == 4
                && gauges.Sum("platform_pipeline_runs_active") == 0;
        }, TimeSpan.FromSeconds(15), "the queue and run gauges show an idle pipeline");

        // Dependencies and runtime, in every process.
        foreach (var scrape in (PrometheusScrape[])[scheduler, ingest, consolidator, apiMetrics])
        {
            scrape.Names.ShouldContain(name => name.StartsWith("db_client_", StringComparison.Ordinal), "Npgsql pool metrics");
            scrape.Names.ShouldContain(name => name.StartsWith("dotnet_gc_", StringComparison.Ordinal) || name.StartsWith("process_runtime_dotnet_", StringComparison.Ordinal), "runtime metrics");
            scrape.Names.ShouldContain(name => name.StartsWith("process_cpu_time", StringComparison.Ordinal), "process metrics");
            AssertNoIdsInLabels(scrape);
        }

        // Log lines are flushed as they are written; the processes can keep running.
        AssertWorkerLogs(topology, run, key);
    }

    /// <summary>Bounded cardinality, checked on what is really exported: no id-named label and no GUID-like value.</summary>
    private static void AssertNoIdsInLabels(PrometheusScrape scrape)
    {
        // target_info carries the resource (service.instance.id is a GUID by design), not metric labels.
        foreach (var sample in scrape.Samples.Where(s => s.Name != "target_info"))
        {
            foreach (var (label, value) in sample.Labels)
            {
                MetricLabels.IsForbidden(label).ShouldBeFalse($"{sample.Name} has label {label}");
                GuidLike().IsMatch(value).ShouldBeFalse($"{sample.Name}{{{label}=\"{value}\"}} carries an id");
            }
        }
    }

    private static void AssertWorkerLogs(ProcessTopology topology, Platform.Infrastructure.Ingestion.Runs.RunView run, string key)
    {
        var entries = new List<JsonElement>();
        var text = new List<string>();
        foreach (var worker in topology.Workers.Values)
        {
            var lines = File.ReadAllLines(worker.LogPath).Where(line => line.Length > 0 && !line.StartsWith("---- ", StringComparison.Ordinal)).ToList();
            text.AddRange(lines);
            foreach (var line in lines)
            {
                var entry = JsonSerializer.Deserialize<JsonElement>(line);
                entry.GetProperty("service").GetString().ShouldBe("Platform.Worker");
                entry.GetProperty("timestamp").GetString().ShouldNotBeNullOrEmpty();
                entry.GetProperty("level").GetString().ShouldNotBeNullOrEmpty();
                entries.Add(entry);
            }
        }
        // The handlers' lines about this run are in its trace, and name the message they handled.
        // (Transport lines outside a handler, such as a batched completion that lost its lease, have neither.)
        var runLines = entries.Where(e => e.GetProperty("category").GetString()!.StartsWith("Platform.Infrastructure.Ingestion.", StringComparison.Ordinal)
            && e.GetProperty("message").GetString()!.Contains(run.Id.ToString(), StringComparison.Ordinal)).ToList();
        runLines.Count.ShouldBeGreaterThanOrEqualTo(2, "the scan and the completion are logged");
        foreach (var line in runLines)
        {
            line.TryGetProperty("traceId", out var trace).ShouldBeTrue(line.ToString());
            trace.GetString().ShouldBe(run.TraceId, line.ToString());
            line.TryGetProperty("scopes", out var scopes).ShouldBeTrue(line.ToString());
            (scopes.GetProperty("MessageId").GetString() ?? "").ShouldContain(run.Id.ToString());
            // Scopes opened once per message by the handlers: the organization and run of every line.
            scopes.GetProperty("OrganizationId").GetString().ShouldBe(topology.OrgId.ToString(), line.ToString());
            scopes.GetProperty("RunId").GetString().ShouldBe(run.Id.ToString(), line.ToString());
        }
        // Page lines also name their partition.
        var pageLines = runLines.Where(e => e.GetProperty("category").GetString() == "Platform.Infrastructure.Ingestion.Pages.PageHandler").ToList();
        pageLines.ShouldNotBeEmpty("the page handler logs each completed partition");
        foreach (var line in pageLines)
        {
            line.GetProperty("scopes").GetProperty("PartitionId").GetString().ShouldBe(line.GetProperty("properties").GetProperty("PartitionId").GetString(), line.ToString());
        }

        var all = string.Join('\n', text);
        all.ShouldNotContain(key);
        all.ShouldNotContain(key[5..15]);
        PasswordValue().IsMatch(all).ShouldBeFalse("no password in the logs");
    }

    private static async Task<string> CreateAdminKeyAsync(TestDatabase database, Guid orgId)
    {
        DapperConventions.Apply();
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var key = await new ApiKeyStore(dataSource, TimeProvider.System)
            .CreateAsync(connection, transaction, orgId, "admin", Scopes.Organization, null, "system:test", Ct);
        await transaction.CommitAsync(Ct);
        return key.Token;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex GuidLike();

    [GeneratedRegex("Password=(?!\\[redacted\\])[^;\\s\"]+", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordValue();
}
