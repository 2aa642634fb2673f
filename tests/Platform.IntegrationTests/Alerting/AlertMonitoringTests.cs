using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Rules;
using Platform.IntegrationTests.Pipeline;

namespace Platform.IntegrationTests.Alerting;

/// <summary>
/// The monitors end to end in the real worker host: pages wait while no ingest worker runs, the maintenance role's
/// monitor fires <c>no_progress</c> to a local webhook receiver, and resolves it once ingest workers are back. A channel
/// answering 500 and one on a closed port neither block the good channel nor lose their notifications (retried).
/// </summary>
public sealed class AlertMonitoringTests(PlatformServers servers)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Stopped_workers_fire_no_progress_to_the_webhook_and_their_return_resolves_it_while_failing_channels_are_retried()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.FailFirst["/flaky"] = 2;
        var settings = new Dictionary<string, string?>
        {
            // The ingest role is "stopped": this worker schedules, consolidates and monitors, nothing consumes pages.
            ["Worker:Roles"] = "scheduler,consolidator,maintenance",
            ["Alerting:IntervalSeconds"] = "1",
            ["Alerting:NoProgressSeconds"] = "3",
            ["Alerting:ChannelTimeoutSeconds"] = "2",
            ["Alerting:ChannelBreakerBreakSeconds"] = "1",
            ["Messaging:Queues:alerts.notify:RetryBaseSeconds"] = "0.2",
            ["Messaging:Queues:alerts.notify:RetryMaxSeconds"] = "1",
            ["Messaging:Queues:alerts.notify:MaxAttempts"] = "50",
        };
        await using var harness = await PipelineHarness.StartAsync(servers, stones: 300, settings);
        var channels = harness.Services.GetRequiredService<AlertChannelStore>();
        var good = await channels.CreateAsync(null, "ops", AlertChannelKinds.Webhook, null, receiver.Url("/ok"), 20, CancellationToken.None);
        var flaky = await channels.CreateAsync(null, "flaky", AlertChannelKinds.Slack, null, receiver.Url("/flaky"), 20, CancellationToken.None);
        var closed = await channels.CreateAsync(null, "dead", AlertChannelKinds.Webhook, null, $"http://127.0.0.1:{FreePort.Next()}/dead", 20, CancellationToken.None);
        var (outcome, _) = await harness.Services.GetRequiredService<AlertRuleStore>().CreateAsync(
            null, "ingest stalled", "no_progress", 3600, true, [good!.Id, flaky!.Id, closed!.Id], 50, CancellationToken.None);
        outcome.ShouldBe(AlertRuleOutcome.Created);

        await harness.StartRunAsync();

        await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/ok").Any(b => Type(b) == "alert.firing")), Window, "no_progress fires to the webhook");
        var firing = receiver.At("/ok").First(b => Type(b) == "alert.firing");
        firing.GetProperty("kind").GetString().ShouldBe("no_progress");
        firing.GetProperty("severity").GetString().ShouldBe("critical");
        firing.GetProperty("details").GetProperty("waitingPages").GetInt32().ShouldBeGreaterThan(0);
        // The Slack-compatible channel refused twice and got the notification on a later attempt.
        await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/flaky").Count == 1), Window, "the refusing channel's notification is retried until delivered");
        receiver.RefusedAt("/flaky").ShouldBe(2);
        receiver.At("/flaky")[0].GetProperty("text").GetString()!.ShouldStartWith("[FIRING] critical no_progress");
        // The closed port's notification is still queued and counting attempts: retried, not dropped.
        await Eventually.TrueAsync(async () => await harness.QuerySingleAsync<int>(
            "SELECT coalesce(max(attempts), 0) FROM queue_messages WHERE queue = 'alerts.notify' AND body LIKE '%' || @id || '%'", new { id = closed.Id.ToString() }) >= 2,
            Window, "the closed port's notification is retried");
        (await harness.QuerySingleAsync<string?>("SELECT last_failure FROM alert_channels WHERE id = @Id", new { closed.Id })).ShouldNotBeNull();

        await using (harness.StartWorker(new Dictionary<string, string?> { ["Worker:Roles"] = "ingest" }))
        {
            await Eventually.TrueAsync(() => Task.FromResult(receiver.At("/ok").Any(b => Type(b) == "alert.resolved")), Window, "no_progress resolves once ingest workers return");
        }

        var resolved = receiver.At("/ok").First(b => Type(b) == "alert.resolved");
        resolved.GetProperty("eventId").GetInt64().ShouldBe(firing.GetProperty("eventId").GetInt64());
        receiver.At("/ok").Count(b => Type(b) == "alert.firing").ShouldBe(1);
        var episode = await harness.QuerySingleAsync<(string Status, int Notifications)>(
            "SELECT status, notifications FROM alert_events WHERE kind = 'no_progress'");
        episode.ShouldBe(("resolved", 1));
    }

    private static string? Type(JsonElement body) => body.TryGetProperty("type", out var type) ? type.GetString() : null;
}
