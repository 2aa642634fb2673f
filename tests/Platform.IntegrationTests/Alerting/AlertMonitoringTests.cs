using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Rules;
using Platform.IntegrationTests.Reliability;

namespace Platform.IntegrationTests.Alerting;

/// <summary>
/// The monitors end to end over real worker processes: a run's pages are being processed by a running ingest worker,
/// the worker is killed while pages wait, the maintenance role's monitor fires <c>no_progress</c> to a local webhook
/// receiver, and a restarted ingest worker resolves it. A channel answering 500 and one on a closed port neither block
/// the good channel nor lose their notifications (retried).
/// </summary>
public sealed class AlertMonitoringTests(PlatformServers servers)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_killed_ingest_worker_fires_no_progress_to_the_webhook_and_its_restart_resolves_it_while_failing_channels_are_retried()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.FailFirst["/flaky"] = 2;
        var settings = new Dictionary<string, string>
        {
            ["Alerting__IntervalSeconds"] = "1",
            ["Alerting__NoProgressSeconds"] = "5",
            ["Alerting__ChannelTimeoutSeconds"] = "2",
            ["Alerting__ChannelBreakerBreakSeconds"] = "1",
            ["Messaging__Queues__alerts.notify__RetryBaseSeconds"] = "0.2",
            ["Messaging__Queues__alerts.notify__RetryMaxSeconds"] = "1",
            ["Messaging__Queues__alerts.notify__MaxAttempts"] = "50",
        };
        var database = await servers.CreateDatabaseAsync();
        // Processes: scheduler + maintenance (monitors, notifications), ingest, consolidator.
        await using var topology = await ProcessTopology.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, stones: 1500,
            consolidationBatch: 500, workerSettings: settings, logPrefix: "alert-worker");
        // A supplier allowing 4 requests/s: the run's pages take long enough for the worker to be killed among them.
        await topology.ScalarAsync<int>("UPDATE feeds SET upstream_rps = 4 WHERE id = @FeedId RETURNING 1", new { topology.FeedId });
        await using var alerting = AlertServices.Build(database.ConnectionString);
        var channels = alerting.GetRequiredService<AlertChannelStore>();
        var good = await channels.CreateAsync(null, "ops", AlertChannelKinds.Webhook, null, receiver.Url("/ok"), 20, CancellationToken.None);
        var flaky = await channels.CreateAsync(null, "flaky", AlertChannelKinds.Slack, null, receiver.Url("/flaky"), 20, CancellationToken.None);
        var closed = await channels.CreateAsync(null, "dead", AlertChannelKinds.Webhook, null, $"http://127.0.0.1:{FreePort.Next()}/dead", 20, CancellationToken.None);
        var (outcome, _) = await alerting.GetRequiredService<AlertRuleStore>().CreateAsync(
            null, "ingest stalled", "no_progress", 3600, true, [good!.Id, flaky!.Id, closed!.Id], 50, CancellationToken.None);
        outcome.ShouldBe(AlertRuleOutcome.Created);

        var runId = await topology.StartRunAsync();

        // The ingest worker is running and processing the run's pages.
        await Eventually.TrueAsync(async () => await topology.ScalarAsync<long>(
            "SELECT count(*) FROM run_partitions WHERE run_id = @runId AND last_page_at IS NOT NULL", new { runId }) >= 2,
            Window, "the ingest worker processes pages");
        await topology.Workers["ingest"].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        receiver.At("/ok").ShouldBeEmpty("nothing fired while the worker made progress");
        (await topology.ScalarAsync<long>("SELECT count(*) FROM run_partitions WHERE run_id = @runId AND NOT completed AND NOT failed", new { runId }))
            .ShouldBeGreaterThan(0, "pages still wait after the kill");

        await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/ok").Any(b => Type(b) == "alert.firing")), Window, "no_progress fires to the webhook");
        var firing = receiver.At("/ok").First(b => Type(b) == "alert.firing");
        firing.GetProperty("kind").GetString().ShouldBe("no_progress");
        firing.GetProperty("severity").GetString().ShouldBe("critical");
        firing.GetProperty("details").GetProperty("waitingPages").GetInt32().ShouldBeGreaterThan(0);
        firing.GetProperty("firedAt").GetDateTimeOffset().ShouldBeGreaterThan(killedAt);
        // The Slack-compatible channel refused twice and got the notification on a later attempt.
        await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/flaky").Count == 1), Window, "the refusing channel's notification is retried until delivered");
        receiver.RefusedAt("/flaky").ShouldBe(2);
        receiver.At("/flaky")[0].GetProperty("text").GetString()!.ShouldStartWith("[FIRING] critical no_progress");
        // The closed port's notification is still queued and counting attempts: retried, not dropped.
        await Eventually.TrueAsync(async () => await topology.ScalarAsync<int>(
            "SELECT coalesce(max(attempts), 0) FROM queue_messages WHERE queue = 'alerts.notify' AND body LIKE '%' || @id || '%'", new { id = closed.Id.ToString() }) >= 2,
            Window, "the closed port's notification is retried");
        (await topology.ScalarAsync<string>("SELECT coalesce(last_failure, '') FROM alert_channels WHERE id = @Id", new { closed.Id })).ShouldNotBeEmpty();

        // An ingest worker starts again: pages move, the episode resolves.
        await topology.Workers["ingest"].StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/ok").Any(b => Type(b) == "alert.resolved")), Window, "no_progress resolves once an ingest worker is back");

        var resolved = receiver.At("/ok").First(b => Type(b) == "alert.resolved");
        resolved.GetProperty("eventId").GetInt64().ShouldBe(firing.GetProperty("eventId").GetInt64());
        receiver.At("/ok").Count(b => Type(b) == "alert.firing").ShouldBe(1);
        var episode = await topology.ScalarAsync<string>(
            "SELECT status || ':' || notifications FROM alert_events WHERE kind = 'no_progress'");
        episode.ShouldBe("resolved:1");
    }

    private static string? Type(JsonElement body) => body.TryGetProperty("type", out var type) ? type.GetString() : null;
}
