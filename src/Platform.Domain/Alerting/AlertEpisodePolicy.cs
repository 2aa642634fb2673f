namespace Platform.Domain.Alerting;

/// <summary>What to do with an episode of one rule and subject in this pass.</summary>
public enum AlertAction
{
    /// <summary>Nothing to send (still firing inside its cooldown or out of notifications, or nothing is wrong).</summary>
    None,

    /// <summary>Open a new episode and notify.</summary>
    Fire,

    /// <summary>A recently resolved episode fires again inside the cooldown: reopen it rather than start another (flapping).</summary>
    Reopen,

    /// <summary>Still firing, the cooldown passed and notifications are left: remind.</summary>
    Remind,

    /// <summary>The condition cleared: close the episode (and tell the channels if they were told it fired).</summary>
    Resolve,
}

/// <summary>The action and whether the rule's channels hear of it.</summary>
public sealed record AlertDecision(AlertAction Action, bool Notify)
{
    public static readonly AlertDecision Nothing = new(AlertAction.None, false);
}

/// <summary>The state of a rule's episode for one subject, as stored.</summary>
public sealed record AlertEpisodeState(bool Firing, DateTimeOffset? LastNotifiedAt, int Notifications, DateTimeOffset? ResolvedAt);

/// <summary>
/// De-duplication, cooldown and the notification cap in one place (ADR 0031): one open episode per rule and subject;
/// a notification when it fires, then at most one per cooldown while it keeps firing, at most
/// <c>maxNotifications</c> per episode; a condition that returns within the cooldown after resolving reopens its
/// episode (and its count) instead of starting a new one. Resolution notices are not counted.
/// </summary>
public static class AlertEpisodePolicy
{
    public static AlertDecision Decide(AlertEpisodeState? latest, bool conditionHolds, DateTimeOffset now, TimeSpan cooldown, int maxNotifications)
    {
        if (latest is { Firing: true })
        {
            if (!conditionHolds)
            {
                // Channels that heard it fire hear it resolve; an episode nobody was told about closes quietly.
                return new AlertDecision(AlertAction.Resolve, latest.Notifications > 0);
            }
            return Due(latest, now, cooldown, maxNotifications) ? new AlertDecision(AlertAction.Remind, true) : AlertDecision.Nothing;
        }
        if (!conditionHolds)
        {
            return AlertDecision.Nothing;
        }
        if (latest is { ResolvedAt: { } resolvedAt } && now - resolvedAt < cooldown)
        {
            return new AlertDecision(AlertAction.Reopen, Due(latest, now, cooldown, maxNotifications));
        }
        return new AlertDecision(AlertAction.Fire, true);
    }

    private static bool Due(AlertEpisodeState episode, DateTimeOffset now, TimeSpan cooldown, int maxNotifications) =>
        episode.Notifications < maxNotifications && (episode.LastNotifiedAt is not { } last || now - last >= cooldown);
}
