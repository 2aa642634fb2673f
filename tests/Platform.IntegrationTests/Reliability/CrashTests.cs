using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.IntegrationTests.Reliability;

/// <summary>
/// Any process may die at any line (PLATFORM §12): kill -9 the scheduler, ingest and consolidator workers at random moments
/// during runs, start them again, and the catalog is still exact, with no duplicated price history or events.
/// CI runs a modest series; <c>PLATFORM_CRASH_KILLS=40 PLATFORM_CRASH_STONES=30000</c> runs the full one (≥ 20 kills of each worker).
/// </summary>
public class CrashTests(PlatformServers servers, ITestOutputHelper output)
{
    private static readonly int Kills = EnvInt("PLATFORM_CRASH_KILLS", 6);
    private static readonly int Stones = EnvInt("PLATFORM_CRASH_STONES", 3_000);
    // Generous: a page killed on all its attempts waits for the stalled-partition rescue (a minute here).
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The transport the workers use; <see cref="CrashTestsOverServiceBus"/> runs the series again over Service Bus.</summary>
    protected virtual string Transport => MessagingOptions.Postgres;

    protected PlatformServers Servers => servers;
    protected ITestOutputHelper Output => output;

    [Fact]
    public async Task Killing_workers_mid_run_loses_and_duplicates_nothing()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var topology = await ProcessTopology.StartAsync(
            database.ConnectionString, servers.Redis.ConnectionString, Stones, consolidationBatch: 50, transport: Transport);
        var random = new Random(20261123);

        var full = await RunWithKillsAsync(topology, await topology.StartRunAsync(), random);

        full.Status.ShouldBe("completed");
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(Stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE type = 'created'")).ShouldBe(Stones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM price_history")).ShouldBe(0);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM consolidation_pages")).ShouldBe(0);
        (await topology.ScalarAsync<long>("SELECT consolidation_processed FROM pipeline_runs WHERE id = @Id", new { full.Id })).ShouldBe(Stones);

        var changed = await topology.MutatePricesAsync(0.02, seed: 11);
        var incremental = await RunWithKillsAsync(topology, await topology.StartRunAsync(), random);

        incremental.Status.ShouldBe("completed");
        (await topology.ScalarAsync<int>("SELECT count(*) FROM price_history WHERE run_id = @Id", new { incremental.Id })).ShouldBe(changed);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE run_id = @Id", new { incremental.Id })).ShouldBe(changed);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(Stones);
        var ingestKills = topology.Workers["ingest"].Starts - 1;
        var consolidatorKills = topology.Workers["consolidator"].Starts - 1;
        var deadLetters = await topology.ScalarAsync<int>("SELECT count(*) FROM dead_letters");
        output.WriteLine($"ingest kills={ingestKills} consolidator kills={consolidatorKills} dead letters={deadLetters} stones={Stones} changed={changed}");
        ingestKills.ShouldBeGreaterThan(0);
        consolidatorKills.ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// Kills the worker doing the current phase's work — ingest while pages run (half the budget), the consolidator
    /// while consolidating (the other half) — at random moments, restarting it each time, until the run ends.
    /// </summary>
    private async Task<RunView> RunWithKillsAsync(ProcessTopology topology, Guid runId, Random random)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        var budget = new Dictionary<string, int> { ["scheduler"] = 1, ["ingest"] = (Kills + 1) / 2, ["consolidator"] = Kills / 2 };
        while (DateTime.UtcNow < deadline)
        {
            var run = await topology.RunAsync(runId);
            if (run is { Status: "completed" or "failed" or "cancelled" })
            {
                return run;
            }
            var role = run?.Status switch { "scanning" => "scheduler", "running" => "ingest", "consolidating" => "consolidator", _ => null };
            if (role is not null && budget[role] > 0)
            {
                // Scans and consolidation steps are short: strike them sooner than page ingestion.
                await Task.Delay(role == "ingest" ? random.Next(100, 900) : random.Next(0, 150));
                await topology.Workers[role].KillAsync();
                budget[role]--;
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed {role} during {run!.Status}");
                await topology.Workers[role].StartAsync();
            }
            else
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Run {runId} did not finish within {RunTimeout}.");
    }

    protected static int EnvInt(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}

/// <summary>
/// The crash series over Service Bus (REST fake, outbox, dispatcher process), plus the outbox relay's own: kill -9 the
/// dispatcher at random moments during runs. CI kills it 3 times; <c>PLATFORM_DISPATCHER_KILLS=10</c> runs the issue's count.
/// </summary>
public sealed class CrashTestsOverServiceBus(PlatformServers servers, ITestOutputHelper output) : CrashTests(servers, output)
{
    private static readonly int DispatcherKills = EnvInt("PLATFORM_DISPATCHER_KILLS", 3);
    private static readonly int DispatcherStones = EnvInt("PLATFORM_DISPATCHER_STONES", 2_000);

    protected override string Transport => MessagingOptions.ServiceBus;

    [Fact]
    public async Task Killing_the_dispatcher_mid_run_publishes_every_message_and_handles_each_once_in_effect()
    {
        var database = await Servers.CreateDatabaseAsync();
        await using var topology = await ProcessTopology.StartAsync(
            database.ConnectionString, Servers.Redis.ConnectionString, DispatcherStones, consolidationBatch: 50, transport: Transport);
        var random = new Random(20261130);
        var dispatcher = topology.Workers["dispatcher"];
        var kills = 0;
        var runs = new List<(RunView Run, int Changed)>();
        // Runs until the kill budget is spent: a full run, then incremental runs after price changes.
        for (var round = 0; kills < DispatcherKills || round == 0; round++)
        {
            round.ShouldBeLessThan(DispatcherKills + 2, "every run should leave room for kills");
            var changed = round == 0 ? 0 : await topology.MutatePricesAsync(0.02, seed: 100 + round);
            var runId = await topology.StartRunAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            RunView? run;
            while ((run = await topology.RunAsync(runId)) is not { Status: "completed" or "failed" or "cancelled" })
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"run {runId} finishes (last seen: {run?.Status})");
                if (kills < DispatcherKills)
                {
                    // Between relay rounds or in the middle of one (after the send, before the delete).
                    await Task.Delay(random.Next(50, 600));
                    await dispatcher.KillAsync();
                    kills++;
                    Output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed the dispatcher during {run?.Status} ({kills}/{DispatcherKills})");
                    await dispatcher.StartAsync();
                }
                else
                {
                    await Task.Delay(200);
                }
            }
            run.Status.ShouldBe("completed");
            runs.Add((run, changed));
        }

        // Every message reached the broker (the outbox is empty) and was handled exactly once in effect.
        (await topology.ScalarAsync<long>("SELECT count(*) FROM outbox_messages")).ShouldBe(0);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamonds WHERE status = 'active'")).ShouldBe(DispatcherStones);
        (await topology.ScalarAsync<int>("SELECT count(DISTINCT supplier_stone_id) FROM diamonds")).ShouldBe(DispatcherStones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE type = 'created'")).ShouldBe(DispatcherStones);
        (await topology.ScalarAsync<int>("SELECT count(*) FROM consolidation_pages")).ShouldBe(0);
        foreach (var (run, changed) in runs.Skip(1))
        {
            (await topology.ScalarAsync<int>("SELECT count(*) FROM price_history WHERE run_id = @Id", new { run.Id })).ShouldBe(changed);
            (await topology.ScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE run_id = @Id", new { run.Id })).ShouldBe(changed);
        }
        var broker = topology.Transport.Broker!;
        var duplicates = new[] { QueueNames.IngestScan, QueueNames.IngestPage, QueueNames.IngestConsolidate }.Sum(q => broker.Queue(q).DuplicatesDropped);
        Output.WriteLine($"dispatcher kills={kills} runs={runs.Count} stones={DispatcherStones} duplicate sends dropped by the broker={duplicates} " +
                         $"dead letters={await topology.ScalarAsync<long>("SELECT count(*) FROM dead_letters")}");
        kills.ShouldBe(DispatcherKills);
    }
}
