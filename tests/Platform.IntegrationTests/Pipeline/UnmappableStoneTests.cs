using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A stone whose payload cannot be mapped is parked in <c>consolidation_failures</c> with its error, counted as failed,
/// and does not stop its run; once a page brings a payload that maps, it is consolidated and no longer parked.
/// </summary>
public sealed class UnmappableStoneTests(PlatformServers servers)
{
    [Fact]
    public async Task An_unmappable_stone_is_parked_with_its_error_until_a_payload_that_maps_arrives()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, stones: 300);
        (await harness.WaitForRunAsync(await harness.StartRunAsync(), TimeSpan.FromMinutes(2))).Status.ShouldBe("completed");
        var (rawId, stoneId, payload) = await harness.QuerySingleAsync<(long, string, string)>(
            "SELECT id, supplier_stone_id, payload::text FROM raw_items ORDER BY id LIMIT 1");

        // The supplier sends a negative carat weight for the stone; the page that wrote it queued it for consolidation.
        var broken = await ConsolidateAsync(harness, rawId, "payload || '{\"carats\": -1}'::jsonb");

        broken.Status.ShouldBe("completed");
        (broken.ConsolidationProcessed, broken.ConsolidationFailed).ShouldBe((0L, 1L));
        (await harness.QuerySingleAsync<string>("SELECT last_error FROM consolidation_failures WHERE raw_item_id = @rawId", new { rawId }))
            .ShouldContain("carats must be positive");
        (await harness.QuerySingleAsync<string>("SELECT status FROM diamonds WHERE supplier_stone_id = @stoneId", new { stoneId })).ShouldBe("active");

        var repaired = await ConsolidateAsync(harness, rawId, "@payload::jsonb", payload);

        repaired.Status.ShouldBe("completed");
        (repaired.ConsolidationProcessed, repaired.ConsolidationFailed).ShouldBe((1L, 0L));
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM consolidation_failures")).ShouldBe(0);
        (await harness.QuerySingleAsync<int>("SELECT count(*) FROM consolidation_pages")).ShouldBe(0);
    }

    /// <summary>
    /// Stands in for an incremental run whose only page rewrote one raw row: the row gets <paramref name="newPayload"/>,
    /// a page of one stone is queued, and the run (its one partition done) is handed to consolidation.
    /// </summary>
    private static async Task<RunView> ConsolidateAsync(PipelineHarness harness, long rawId, string newPayload, string? payload = null)
    {
        var runId = Guid.CreateVersion7();
        await using (var dataSource = harness.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"""
                INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, expected_partitions, started_at)
                VALUES (@runId, @OrgId, @FeedId, 'incremental', 'running', 'test', now() - interval '1 hour', now(), 1, now());
                INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records, next_offset, completed)
                VALUES (@runId, 'p-0001', @OrgId, 0, 1000000, 1, 1, true);
                UPDATE raw_items SET payload = {newPayload}, run_id = @runId WHERE id = @rawId;
                INSERT INTO consolidation_pages (org_id, feed_id, raw_item_ids) VALUES (@OrgId, @FeedId, ARRAY[@rawId]);
                """, new { runId, harness.OrgId, harness.FeedId, rawId, payload });
        }
        var step = new ConsolidateMessage(runId, harness.OrgId, Force: false, Step: 0);
        await harness.Services.GetRequiredService<IMessagePublisher>().PublishAsync(
            [new OutgoingMessage(QueueNames.IngestConsolidate, step.MessageId, PipelineJson.Serialize(step))], CancellationToken.None);
        return await harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(1));
    }
}
