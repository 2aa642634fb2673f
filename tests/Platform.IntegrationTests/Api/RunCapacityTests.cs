using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Run capacity per organization (PLATFORM §7, ADR 0024) through the runs API with no worker: the free plan runs one
/// and queues five; a run that ends hands its slot to the oldest queued run exactly once, in the same commit; concurrent
/// triggers never overshoot; a run whose worker died is failed by maintenance without leaking its slot.
/// </summary>
public sealed class RunCapacityTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Free_plan_starts_one_run_queues_the_next_five_and_refuses_the_seventh_with_the_numbers()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(7);
        var client = api.ClientWith(api.A.AdminKey);

        var statuses = new List<string>();
        foreach (var feedId in feeds.Take(6))
        {
            using var response = await client.StartRunAsync(feedId);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            statuses.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString()!);
        }
        using var seventh = await client.StartRunAsync(feeds[6]);

        statuses.ShouldBe(["scanning", "queued", "queued", "queued", "queued", "queued"]);
        var problem = await seventh.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "CAPACITY_EXCEEDED");
        (problem.GetProperty("running").GetInt32(), problem.GetProperty("runningCapacity").GetInt32()).ShouldBe((1, 1));
        (problem.GetProperty("queued").GetInt32(), problem.GetProperty("queuedCapacity").GetInt32()).ShouldBe((5, 5));
        problem.GetProperty("detail").GetString()!.ShouldContain("1 of 1 running and 5 of 5 queued");
        var phases = await api.PhasesOfAAsync();
        phases.Values.Order().ShouldBe(["queued", "queued", "queued", "queued", "queued", "scanning"]);
        // Only the started run has a scan message; queued runs wait without one.
        (await api.ScanMessagesAsync()).Keys.ShouldBe([$"scan:{phases.Single(p => p.Value == "scanning").Key}"]);
        // A queued run reads back as queued; the other organization is not limited by A's runs.
        var queuedId = phases.First(p => p.Value == "queued").Key;
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{queuedId}", Ct)).GetProperty("status").GetString().ShouldBe("queued");
        (await api.ClientWith(api.B.AdminKey).StartRunAsync(api.B.FeedId)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_run_that_ends_starts_the_oldest_queued_run_exactly_once()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(4);
        var client = api.ClientWith(api.A.AdminKey);
        var runs = new List<Guid>();
        foreach (var feedId in feeds)
        {
            using var response = await client.StartRunAsync(feedId);
            runs.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetGuid());
        }

        // Cancelled: its slot goes to the oldest queued run.
        (await client.PostAsync($"/api/v1/runs/{runs[0]}/cancel", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var afterCancel = await api.PhasesOfAAsync();
        (afterCancel[runs[0]], afterCancel[runs[1]], afterCancel[runs[2]], afterCancel[runs[3]]).ShouldBe(("cancelled", "scanning", "queued", "queued"));

        // Failed, as the scan handler fails a run: the next one starts. Failing it again changes nothing.
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            var publisher = api.Factory.Services.GetRequiredService<IMessagePublisher>();
            foreach (var attempt in new[] { true, false })
            {
                await using var transaction = await connection.BeginTransactionAsync(Ct);
                (await RunStore.FailAsync(connection, transaction, publisher, runs[1], "upstream down", Ct)).ShouldBe(attempt);
                await transaction.CommitAsync(Ct);
            }
        }
        // Cancelling a queued run frees a queued slot only: the running one stays the only one.
        (await client.PostAsync($"/api/v1/runs/{runs[3]}/cancel", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var phases = await api.PhasesOfAAsync();
        (phases[runs[1]], phases[runs[2]], phases[runs[3]]).ShouldBe(("failed", "scanning", "cancelled"));
        var scans = await api.ScanMessagesAsync();
        scans.ShouldBe(new Dictionary<string, int> { [$"scan:{runs[0]}"] = 1, [$"scan:{runs[1]}"] = 1, [$"scan:{runs[2]}"] = 1 });
    }

    [Fact]
    public async Task Twenty_concurrent_triggers_never_exceed_the_running_or_queued_capacity()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(20);
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            // Capacities above one, so a lost update would show as an extra start as well as an extra queued run.
            await connection.ExecuteAsync("UPDATE organizations SET running_capacity_override = 3, queued_capacity_override = 4 WHERE id = @OrgId", new { api.A.OrgId });
        }
        var clients = Enumerable.Range(0, 4).Select(_ => api.ClientWith(api.A.AdminKey)).ToArray();

        var responses = await Task.WhenAll(feeds.Select((feedId, i) => Task.Run(async () =>
        {
            using var response = await clients[i % clients.Length].StartRunAsync(feedId);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return (response.StatusCode, Status: body.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : body.GetProperty("code").GetString());
        }, Ct)));

        responses.Count(r => r.Status == "scanning").ShouldBe(3);
        responses.Count(r => r.Status == "queued").ShouldBe(4);
        responses.Count(r => r is { StatusCode: HttpStatusCode.TooManyRequests, Status: "CAPACITY_EXCEEDED" }).ShouldBe(13);
        var phases = await api.PhasesOfAAsync();
        phases.Values.Count(p => p == "scanning").ShouldBe(3);
        phases.Values.Count(p => p == "queued").ShouldBe(4);
        (await api.ScanMessagesAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_run_whose_worker_died_is_failed_by_maintenance_and_its_slot_goes_to_the_oldest_queued_run()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(3);
        var client = api.ClientWith(api.A.AdminKey);
        var runs = new List<Guid>();
        foreach (var feedId in feeds)
        {
            using var response = await client.StartRunAsync(feedId);
            runs.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetGuid());
        }
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        // The worker scanning the first run died on its last attempt: the message is gone (dead-lettered) and time passed.
        await connection.ExecuteAsync("""
            DELETE FROM queue_messages WHERE message_id = 'scan:' || @run;
            UPDATE pipeline_runs SET created_at = now() - interval '20 minutes' WHERE id = @run;
            """, new { run = runs[0] });

        var report = await api.Maintenance().RunOnceAsync(Ct);

        report.ScansFailed.ShouldBe(1);
        var phases = await api.PhasesOfAAsync();
        (phases[runs[0]], phases[runs[1]], phases[runs[2]]).ShouldBe(("failed", "scanning", "queued"));
        (await api.ScanMessagesAsync()).ShouldBe(new Dictionary<string, int> { [$"scan:{runs[1]}"] = 1 });
        // A second pass finds nothing: the slot was handed over once.
        (await api.Maintenance().RunOnceAsync(Ct)).Any.ShouldBeFalse();
        (await api.ScanMessagesAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Maintenance_starts_queued_runs_when_running_slots_are_free()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var feeds = await api.FeedsOfAAsync(4);
        var client = api.ClientWith(api.A.AdminKey);
        foreach (var feedId in feeds)
        {
            (await client.StartRunAsync(feedId)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            // A hand edit, not through the API (which would start them at once): three slots now, one taken.
            await connection.ExecuteAsync("UPDATE organizations SET running_capacity_override = 3 WHERE id = @OrgId", new { api.A.OrgId });
        }

        var report = await api.Maintenance().RunOnceAsync(Ct);

        report.QueuedRunsStarted.ShouldBe(2);
        (await api.PhasesOfAAsync()).Values.Order().ShouldBe(["queued", "scanning", "scanning", "scanning"]);
        (await api.ScanMessagesAsync()).Count.ShouldBe(3);
        (await api.Maintenance().RunOnceAsync(Ct)).QueuedRunsStarted.ShouldBe(0);
    }
}
