using Platform.Infrastructure.Messaging;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A feed's whole catalogue through scan → pages → consolidation, against the real simulator. The stone count is
/// modest for CI; <c>PLATFORM_E2E_STONES=100000</c> runs the full size.
/// </summary>
public class PipelineEndToEndTests(PlatformServers servers)
{
    /// <summary>The transport the pipeline runs over; <see cref="PipelineEndToEndTestsOverServiceBus"/> runs every test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    private static readonly int Stones = int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_E2E_STONES"), out var n) ? n : 3_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(Math.Max(120, Stones / 200));

    [Fact]
    public async Task A_full_run_puts_exactly_the_simulators_stones_in_the_catalog_priced_by_the_default_rule()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, Stones, transport: Transport);

        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        run.Status.ShouldBe("completed");
        run.RunType.ShouldBe("full");
        run.PartitionsCompleted.ShouldBe(run.PartitionsTotal);
        var expected = await SimulatorCountAsync(harness);
        expected.ShouldBe(Stones);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(expected);
        (await harness.QuerySingleAsync<int>("SELECT count(DISTINCT supplier_stone_id) FROM diamonds")).ShouldBe(expected);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE retail_price <> round(feed_price * 1.15, 2) OR rating <> 5")).ShouldBe(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events WHERE type = 'created'")).ShouldBe(expected);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM price_history")).ShouldBe(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM consolidation_pages")).ShouldBe(0);
        run.ConsolidationProcessed.ShouldBe(expected);
        (await harness.QuerySingleAsync<DateTimeOffset>("SELECT last_updated_at FROM feed_watermarks")).ShouldBe(run.UpdatedTo);
        await SamplePricesMatchSimulatorAsync(harness);
    }

    [Fact]
    public async Task An_incremental_run_after_price_changes_writes_exactly_those_history_rows_and_events()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, Stones, transport: Transport);
        (await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout)).Status.ShouldBe("completed");

        var mutation = await harness.Simulator.Client.PostAsJsonAsync("/admin/mutations", new { fraction = 0.01, seed = 7, kinds = new[] { "price" } });
        mutation.EnsureSuccessStatusCode();
        var changed = (await mutation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetInt32();
        changed.ShouldBe(Stones / 100);

        var second = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        second.Status.ShouldBe("completed");
        second.RunType.ShouldBe("incremental");
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM price_history WHERE run_id = @Id", new { second.Id })).ShouldBe(changed);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events WHERE run_id = @Id AND type = 'price_changed'", new { second.Id })).ShouldBe(changed);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events WHERE run_id = @Id AND type <> 'price_changed'", new { second.Id })).ShouldBe(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM price_history WHERE old_feed_price = new_feed_price")).ShouldBe(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(Stones);
        second.UpdatedFrom.ShouldBe((await harness.QuerySingleAsync<DateTimeOffset>(
            "SELECT watermark_before FROM pipeline_runs WHERE id = @Id", new { second.Id })) - TimeSpan.FromMinutes(15));
        await SamplePricesMatchSimulatorAsync(harness);
    }

    [Fact]
    public async Task A_second_full_run_of_an_unchanged_feed_changes_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 1_000, transport: Transport);
        (await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout)).Status.ShouldBe("completed");
        var before = await harness.QuerySingleAsync<DateTimeOffset>("SELECT max(updated_at) FROM diamonds");

        var second = await harness.WaitForRunAsync(await harness.StartRunAsync(RunType.Full), RunTimeout);

        second.Status.ShouldBe("completed");
        second.ConsolidationProcessed.ShouldBe(0);
        (await harness.QuerySingleAsync<DateTimeOffset>("SELECT max(updated_at) FROM diamonds")).ShouldBe(before);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamond_events WHERE run_id = @Id", new { second.Id })).ShouldBe(0);
    }

    [Fact]
    public async Task A_full_run_soft_deletes_exactly_the_stones_the_supplier_no_longer_lists()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 1_000, transport: Transport);
        (await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout)).Status.ShouldBe("completed");
        // Two stones an earlier run saw and consolidated, which the supplier no longer lists.
        await harness.QuerySingleAsync<int>("""
            INSERT INTO raw_items (org_id, feed_id, supplier_stone_id, offer_id, run_id, seen_run_id, payload, payload_hash, source_updated_at)
            SELECT org_id, feed_id, 'gone-' || n, offer_id, run_id, seen_run_id, payload, payload_hash, source_updated_at
            FROM (SELECT * FROM raw_items LIMIT 1) r CROSS JOIN generate_series(1, 2) n;
            CREATE TEMP TABLE gone AS SELECT * FROM diamonds LIMIT 1;
            INSERT INTO diamonds SELECT (d).* FROM (
                SELECT jsonb_populate_record(g, jsonb_build_object('id', gen_random_uuid(), 'supplier_stone_id', 'gone-' || n)) AS d
                FROM gone g CROSS JOIN generate_series(1, 2) n) s;
            SELECT 1;
            """);

        var second = await harness.WaitForRunAsync(await harness.StartRunAsync(RunType.Full), RunTimeout);

        second.Status.ShouldBe("completed");
        (await harness.QueryAsync<string>("SELECT supplier_stone_id FROM diamonds WHERE status = 'deleted' AND deleted_at IS NOT NULL ORDER BY 1"))
            .ShouldBe(["gone-1", "gone-2"]);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(1_000);
        (await harness.QueryAsync<string>("""
            SELECT d.supplier_stone_id FROM diamond_events e JOIN diamonds d ON d.id = e.diamond_id
            WHERE e.run_id = @Id AND e.type = 'removed' ORDER BY 1
            """, new { second.Id })).ShouldBe(["gone-1", "gone-2"]);
    }

    [Fact]
    public async Task Starting_a_second_run_while_one_is_active_is_refused()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 500, transport: Transport);
        var first = await harness.StartRunAsync();

        var second = await harness.Services.GetRequiredService<RunTrigger>().StartAsync(harness.OrgId, harness.FeedId, null, "test", CancellationToken.None);

        second.Outcome.ShouldBe(RunTriggerOutcome.AlreadyActive);
        await harness.WaitForRunAsync(first, RunTimeout);
    }

    private static async Task<int> SimulatorCountAsync(PipelineHarness harness) =>
        (await harness.Simulator.Client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds/count?priceFrom=0&priceTo=250000")).GetProperty("count").GetInt32();

    private static async Task SamplePricesMatchSimulatorAsync(PipelineHarness harness)
    {
        var page = await harness.Simulator.Client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?offset=0&limit=50");
        foreach (var stone in page.GetProperty("items").EnumerateArray())
        {
            var price = await harness.QuerySingleAsync<decimal>("SELECT feed_price FROM diamonds WHERE supplier_stone_id = @id",
                new { id = stone.GetProperty("id").GetString() });
            price.ShouldBe(stone.GetProperty("price").GetDecimal());
        }
    }
}

/// <summary>Every test of <see cref="PipelineEndToEndTests"/> over the Service Bus transport (outbox, dispatcher, REST fake).</summary>
public sealed class PipelineEndToEndTestsOverServiceBus(PlatformServers servers) : PipelineEndToEndTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
