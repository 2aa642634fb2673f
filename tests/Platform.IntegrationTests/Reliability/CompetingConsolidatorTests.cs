using Platform.Infrastructure.Messaging;

namespace Platform.IntegrationTests.Reliability;

/// <summary>Several consolidator processes on one run: no raw row is consolidated twice, and the counts add up.</summary>
public class CompetingConsolidatorTests(PlatformServers servers)
{
    /// <summary>The transport the processes use; <see cref="CompetingConsolidatorTestsOverServiceBus"/> runs the test again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    [Fact]
    public async Task Three_consolidators_never_process_the_same_row()
    {
        const int stones = 2_500;
        var database = await servers.CreateDatabaseAsync();
        await using var topology = await ProcessTopology.StartAsync(
            database.ConnectionString, servers.Redis.ConnectionString, stones, consolidationBatch: 100, consolidators: 3, transport: Transport);

        var runId = await topology.StartRunAsync();
        await Eventually.TrueAsync(async () => (await topology.RunAsync(runId))?.Status is "completed" or "failed",
            TimeSpan.FromMinutes(3), "the run finishes");

        (await topology.RunAsync(runId))!.Status.ShouldBe("completed");
        (await topology.ScalarAsync<long>("SELECT consolidation_processed + consolidation_failed FROM pipeline_runs WHERE id = @runId", new { runId })).ShouldBe(stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE type = 'created'")).ShouldBe(stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds")).ShouldBe(stones);
        // A row consolidated twice would count twice: processed + failed adds up to exactly the stones, and nothing is left.
        (await topology.ScalarAsync<int>("SELECT count(*) FROM consolidation_pages")).ShouldBe(0);
        if (topology.Transport.IsServiceBus)
        {
            // The consolidators competed for peek-locked broker messages, fed by the dispatcher: all of it relayed.
            (await topology.ScalarAsync<long>("SELECT count(*) FROM outbox_messages")).ShouldBe(0);
        }
    }
}

/// <summary>The three consolidators compete for peek-locked messages on the Service Bus fake instead of leased queue rows.</summary>
public sealed class CompetingConsolidatorTestsOverServiceBus(PlatformServers servers) : CompetingConsolidatorTests(servers)
{
    protected override string Transport => MessagingOptions.ServiceBus;
}
