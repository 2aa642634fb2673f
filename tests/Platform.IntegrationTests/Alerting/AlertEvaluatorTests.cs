using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Alerting;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Monitors;
using Platform.Infrastructure.Alerting.Rules;

namespace Platform.IntegrationTests.Alerting;

/// <summary>
/// Episodes in the database: de-duplication per rule and subject, reminders only after the cooldown, at most three
/// notifications per episode, a resolution notice, a flapping condition reopening its episode, and organization rules
/// blind to other organizations. Each notification is an <c>alerts.notify</c> message committed with the episode change.
/// </summary>
public sealed class AlertEvaluatorTests(PlatformServers servers)
{
    private static readonly AlertSignal Deep = new(AlertKinds.QueueDepth, "ingest.page", null, "deep", new Dictionary<string, object?> { ["depth"] = 90 });

    [Fact]
    public async Task One_episode_per_subject_notifies_at_most_three_times_a_cooldown_apart_then_resolves_and_reopens_while_flapping()
    {
        await using var provider = await BuildAsync();
        var evaluator = provider.GetRequiredService<AlertEvaluator>();
        await CreatePlatformRuleAsync(provider, AlertKinds.QueueDepth, cooldownSeconds: 1);

        var first = await evaluator.EvaluateAsync([Deep], CancellationToken.None);
        var repeated = await evaluator.EvaluateAsync([Deep, Deep], CancellationToken.None);
        await Task.Delay(1100);
        var second = await evaluator.EvaluateAsync([Deep], CancellationToken.None);
        await Task.Delay(1100);
        var third = await evaluator.EvaluateAsync([Deep], CancellationToken.None);
        await Task.Delay(1100);
        var capped = await evaluator.EvaluateAsync([Deep], CancellationToken.None);
        var resolved = await evaluator.EvaluateAsync([], CancellationToken.None);
        var flapped = await evaluator.EvaluateAsync([Deep], CancellationToken.None);

        first.ShouldBe(new AlertPassReport(1, 0, 0, 2));
        repeated.ShouldBe(new AlertPassReport(0, 0, 0, 0));
        second.ShouldBe(new AlertPassReport(0, 1, 0, 2));
        third.ShouldBe(new AlertPassReport(0, 1, 0, 2));
        capped.ShouldBe(new AlertPassReport(0, 0, 0, 0));
        resolved.ShouldBe(new AlertPassReport(0, 0, 1, 2));
        // Back within the cooldown: the same episode reopens, and it has used up its notifications.
        flapped.ShouldBe(new AlertPassReport(1, 0, 0, 0));
        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var episodes = (await connection.QueryAsync<(string Status, int Notifications)>("SELECT status, notifications FROM alert_events")).ToList();
        episodes.ShouldBe([("firing", 3)]);
        var actions = (await connection.QueryAsync<string>(
            "SELECT body::jsonb ->> 'action' FROM queue_messages WHERE queue = 'alerts.notify' ORDER BY id")).ToList();
        actions.ShouldBe(["firing", "firing", "reminder", "reminder", "reminder", "reminder", "resolved", "resolved"]);
    }

    [Fact]
    public async Task An_organizations_rule_sees_only_its_own_organizations_conditions_and_a_platform_rule_sees_all()
    {
        await using var provider = await BuildAsync();
        var evaluator = provider.GetRequiredService<AlertEvaluator>();
        var (orgA, orgB) = (await CreateOrganizationAsync(provider), await CreateOrganizationAsync(provider));
        var channelA = await provider.GetRequiredService<AlertChannelStore>().CreateAsync(orgA, "a", AlertChannelKinds.Webhook, null, "https://a.example.test/hook", 20, CancellationToken.None);
        await provider.GetRequiredService<AlertRuleStore>().CreateAsync(orgA, "runs", AlertKinds.RunFailed, 60, true, [channelA!.Id], 50, CancellationToken.None);
        await CreatePlatformRuleAsync(provider, AlertKinds.RunFailed, cooldownSeconds: 60);
        var failedInB = new AlertSignal(AlertKinds.RunFailed, $"run:{Guid.NewGuid()}", orgB, "run failed", new Dictionary<string, object?>());
        var failedInA = new AlertSignal(AlertKinds.RunFailed, $"run:{Guid.NewGuid()}", orgA, "run failed", new Dictionary<string, object?>());

        (await evaluator.EvaluateAsync([failedInB], CancellationToken.None)).Fired.ShouldBe(1);
        (await evaluator.EvaluateAsync([failedInB, failedInA], CancellationToken.None)).Fired.ShouldBe(2);

        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var owners = (await connection.QueryAsync<(Guid? OrgId, Guid? SubjectOrgId)>("SELECT org_id, subject_org_id FROM alert_events ORDER BY id")).ToList();
        owners.ShouldBe([(null, orgB), (orgA, orgA), (null, orgA)], ignoreOrder: true);
    }

    private async Task<ServiceProvider> BuildAsync() => AlertServices.Build((await servers.CreateDatabaseAsync()).ConnectionString);

    /// <summary>A platform-wide rule with two channels (nothing listens: the messages stay queued for the test to read).</summary>
    private static async Task CreatePlatformRuleAsync(IServiceProvider provider, string kind, int cooldownSeconds)
    {
        var channels = provider.GetRequiredService<AlertChannelStore>();
        var one = await channels.CreateAsync(null, $"{kind}-1", AlertChannelKinds.Webhook, null, "https://one.example.test/hook", 20, CancellationToken.None);
        var two = await channels.CreateAsync(null, $"{kind}-2", AlertChannelKinds.Teams, null, "https://two.example.test/hook", 20, CancellationToken.None);
        var (outcome, _) = await provider.GetRequiredService<AlertRuleStore>().CreateAsync(null, kind, kind, cooldownSeconds, true, [one!.Id, two!.Id], 50, CancellationToken.None);
        outcome.ShouldBe(AlertRuleOutcome.Created);
    }

    private static async Task<Guid> CreateOrganizationAsync(IServiceProvider provider)
    {
        var orgId = Guid.CreateVersion7();
        await using var connection = await provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Alerts', 'pro')",
            new { orgId, slug = $"al-{orgId:N}"[..20] });
        return orgId;
    }
}
