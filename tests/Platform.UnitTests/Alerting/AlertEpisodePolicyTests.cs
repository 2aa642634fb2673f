using Platform.Domain.Alerting;

namespace Platform.UnitTests.Alerting;

public sealed class AlertEpisodePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(15);

    private static AlertDecision Decide(AlertEpisodeState? latest, bool holds) => AlertEpisodePolicy.Decide(latest, holds, Now, Cooldown, maxNotifications: 3);

    [Fact]
    public void A_new_condition_fires_and_notifies() =>
        Decide(null, true).ShouldBe(new AlertDecision(AlertAction.Fire, true));

    [Fact]
    public void Nothing_happens_while_nothing_is_wrong() =>
        Decide(null, false).ShouldBe(AlertDecision.Nothing);

    [Fact]
    public void A_firing_episode_stays_quiet_inside_its_cooldown() =>
        Decide(new AlertEpisodeState(true, Now.AddMinutes(-14), 1, null), true).ShouldBe(AlertDecision.Nothing);

    [Fact]
    public void A_firing_episode_reminds_after_its_cooldown() =>
        Decide(new AlertEpisodeState(true, Now.AddMinutes(-15), 2, null), true).ShouldBe(new AlertDecision(AlertAction.Remind, true));

    [Fact]
    public void A_firing_episode_stops_notifying_after_three_notifications() =>
        Decide(new AlertEpisodeState(true, Now.AddHours(-5), 3, null), true).ShouldBe(AlertDecision.Nothing);

    [Fact]
    public void A_cleared_condition_resolves_and_tells_the_channels_that_heard_it_fire() =>
        Decide(new AlertEpisodeState(true, Now.AddMinutes(-1), 1, null), false).ShouldBe(new AlertDecision(AlertAction.Resolve, true));

    [Fact]
    public void A_condition_back_inside_the_cooldown_reopens_its_episode_without_a_new_notification() =>
        Decide(new AlertEpisodeState(false, Now.AddMinutes(-2), 1, Now.AddMinutes(-1)), true).ShouldBe(new AlertDecision(AlertAction.Reopen, false));

    [Fact]
    public void A_condition_back_after_the_cooldown_fires_a_new_episode() =>
        Decide(new AlertEpisodeState(false, Now.AddHours(-1), 3, Now.AddMinutes(-16)), true).ShouldBe(new AlertDecision(AlertAction.Fire, true));

    [Fact]
    public void Queue_health_is_platform_wide_and_run_alerts_are_for_organizations_too()
    {
        AlertKinds.AllowedFor(platformWide: false, AlertKinds.NoProgress).ShouldBeFalse();
        AlertKinds.AllowedFor(platformWide: false, AlertKinds.RunFailed).ShouldBeTrue();
        AlertKinds.AllowedFor(platformWide: true, AlertKinds.RunFailed).ShouldBeTrue();
        AlertKinds.AllowedFor(platformWide: true, "made_up").ShouldBeFalse();
    }
}
