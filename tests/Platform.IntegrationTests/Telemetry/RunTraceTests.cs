using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Pipeline;

namespace Platform.IntegrationTests.Telemetry;

/// <summary>
/// One run started over the api is one trace: the POST, the scan, every page and every consolidation step, joined
/// through the <c>traceparent</c> header each message carries. The api host exports spans to memory; the worker host
/// (every role) runs its consumers on their own background loops, so a consumer span can only find its parent through
/// the message headers — which the links on consumer spans prove (they are set only from a parsed header).
/// </summary>
public sealed class RunTraceTests(PlatformServers servers)
{
    private const int Stones = 400;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_started_over_the_api_is_one_trace_across_every_message_hop()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, Stones, new Dictionary<string, string?>
        {
            // Several consolidation steps per chain, so the trace shows step-to-step hops as well.
            ["Pipeline:ConsolidationBatchSize"] = "100",
        });
        var spans = new SpanCollection();
        await using var factory = new ApiFactory(harness.Database.ConnectionString, servers.Redis.ConnectionString);
        await using var api = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans))));
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", await CreateAdminKeyAsync(harness));

        var response = await client.PostAsJsonAsync($"/api/v1/feeds/{harness.FeedId}/runs", new { type = "full" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetGuid();
        var run = await harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));
        run.Status.ShouldBe("completed");
        run.TraceId.ShouldNotBeNull().Length.ShouldBe(32);
        var traceId = ActivityTraceId.CreateFromString(run.TraceId);
        var catalog = await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'");
        catalog.ShouldBe(Stones);
        var pages = await CountPagesAsync(harness, runId);

        // The last step ends its span just after the commit the run's status is read from.
        IReadOnlyList<Activity> trace = [];
        await Eventually.TrueAsync(() =>
        {
            trace = spans.OfTrace(traceId);
            return Task.FromResult(Consumers(trace, "ingest.consolidate").Count > 0 && trace.All(s => s.Duration > TimeSpan.Zero)
                && Named(trace, "catalog upsert").Sum(s => Count(s, "platform.items.count")) == Stones);
        }, TimeSpan.FromSeconds(30), "the run's spans are exported");
        var byId = trace.ToDictionary(s => s.SpanId);

        // One tree: a single root, the api's POST, and every other span's parent is in the trace.
        var root = trace.Single(s => s.ParentSpanId == default);
        root.Kind.ShouldBe(ActivityKind.Server);
        root.DisplayName.ShouldStartWith("POST");
        trace.Where(s => s != root).ShouldAllBe(s => byId.ContainsKey(s.ParentSpanId));

        // Every hop: the consumer's parent is the producer span of the same queue, and its link (set only from the header) points there.
        var consumers = trace.Where(s => s.Kind == ActivityKind.Consumer).ToList();
        consumers.ShouldNotBeEmpty();
        foreach (var consumer in consumers)
        {
            var producer = byId[consumer.ParentSpanId];
            producer.Kind.ShouldBe(ActivityKind.Producer);
            producer.DisplayName.ShouldBe(consumer.DisplayName.Replace("process ", "publish "));
            consumer.Links.Select(l => l.Context.SpanId).ShouldContain(producer.SpanId);
        }
        var scan = Consumers(trace, "ingest.scan").ShouldHaveSingleItem();
        Ancestors(scan, byId).ShouldContain(root);
        Consumers(trace, "ingest.page").Select(s => s.GetTagItem("messaging.message.id")).Distinct().Count().ShouldBe(pages);
        Consumers(trace, "ingest.consolidate").Count.ShouldBeGreaterThan(2);

        // The steps, under the right consumers, with item counts that add up to the run.
        var heatmap = Named(trace, "heatmap scan").ShouldHaveSingleItem();
        heatmap.ParentSpanId.ShouldBe(scan.SpanId);
        Count(heatmap, "platform.items.count").ShouldBe(Stones);
        Named(trace, "raw upsert").ShouldAllBe(s => byId[s.ParentSpanId].DisplayName == "process ingest.page");
        Named(trace, "raw upsert").Sum(s => Count(s, "platform.items.count")).ShouldBe(Stones);
        Named(trace, "consolidation claim").Sum(s => Count(s, "platform.items.count")).ShouldBe(Stones);
        Named(trace, "catalog upsert").ShouldAllBe(s => byId[s.ParentSpanId].DisplayName == "process ingest.consolidate");
        trace.Where(s => s.DisplayName.StartsWith("upstream ", StringComparison.Ordinal))
            .Select(s => byId[s.ParentSpanId].DisplayName).Distinct().Order()
            .ShouldBe(["heatmap scan", "process ingest.page"]);

        // The path from a catalog write back to the POST crosses consolidation → page → scan messages, in that order.
        var hops = Ancestors(Named(trace, "catalog upsert").Last(), byId)
            .Where(s => s.Kind == ActivityKind.Consumer).Select(s => s.DisplayName).Distinct().ToList();
        hops.ShouldBe(["process ingest.consolidate", "process ingest.page", "process ingest.scan"]);

        // Probes and scrapes are not traced.
        (await client.GetAsync("/health/live", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/metrics", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/status", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Task.FromResult(spans.Any(s => Path(s) == "/api/v1/status")), TimeSpan.FromSeconds(10), "the status call is traced");
        spans.ShouldNotContain(s => Path(s) != null && (Path(s)!.StartsWith("/health") || Path(s)!.StartsWith("/metrics")));
    }

    private static List<Activity> Consumers(IEnumerable<Activity> trace, string queue) =>
        trace.Where(s => s.Kind == ActivityKind.Consumer && s.DisplayName == $"process {queue}").ToList();

    private static List<Activity> Named(IEnumerable<Activity> trace, string name) => trace.Where(s => s.DisplayName == name).ToList();

    private static long Count(Activity span, string tag) => Convert.ToInt64(span.GetTagItem(tag) ?? 0);

    private static string? Path(Activity span) => span.GetTagItem("url.path") as string;

    private static List<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var path = new List<Activity>();
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            path.Add(parent);
        }
        return path;
    }

    /// <summary>Pages the run fetched: per partition, full pages plus the last (short or empty) one.</summary>
    internal static Task<int> CountPagesAsync(PipelineHarness harness, Guid runId) =>
        harness.QuerySingleAsync<int>("""
            SELECT sum(p.next_offset / r.page_limit + 1)::int FROM run_partitions p JOIN pipeline_runs r ON r.id = p.run_id WHERE p.run_id = @runId
            """, new { runId });

    private static async Task<string> CreateAdminKeyAsync(PipelineHarness harness)
    {
        await using var dataSource = harness.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var key = await new ApiKeyStore(dataSource, TimeProvider.System)
            .CreateAsync(connection, transaction, harness.OrgId, "admin", Scopes.Organization, null, "system:test", Ct);
        await transaction.CommitAsync(Ct);
        return key.Token;
    }
}
