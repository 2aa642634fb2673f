using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Infrastructure.Alerting.Notifications;

/// <summary>What a notification says: <see cref="Action"/> is <c>firing</c>, <c>reminder</c>, <c>resolved</c> or <c>test</c>.</summary>
public sealed record AlertNotice(
    long EventId, Guid RuleId, string RuleName, string Kind, string Subject, Guid? OrgId, string Severity, string Action, string Summary,
    JsonObject Details, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt)
{
    public const string Firing = "firing";
    public const string Reminder = "reminder";
    public const string Resolved = "resolved";
    public const string Test = "test";

    public bool IsResolution => Action == Resolved;

    /// <summary>One line for chat and email subjects: <c>[FIRING] critical no_progress: …</c>.</summary>
    public string Headline => $"[{Action.ToUpperInvariant()}] {Severity} {Kind}: {Summary}";

    /// <summary>
    /// The same episode keeps one key everywhere (PagerDuty's dedup_key, the webhook's eventId). A test notice (no
    /// episode, id 0) gets a key of its own per send, so two tests never share an incident and its resolve closes only it.
    /// </summary>
    public string DedupKey => EventId == 0
        ? $"platform-test-{Subject}-{FiredAt.ToUnixTimeMilliseconds()}"
        : $"platform-alert-{EventId}";

    public static AlertNotice ForTest(Guid channelId, DateTimeOffset now) => new(
        0, Guid.Empty, "test", "test", $"channel:{channelId}", null, "info", Test,
        "Test notification from Platform: this channel is reachable.", new JsonObject(), now, null);

    internal static JsonObject ParseDetails(string json) => JsonNode.Parse(json) as JsonObject ?? new JsonObject();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>The message on <c>alerts.notify</c>: one notification of one episode to one channel.</summary>
public sealed record AlertNotificationMessage(long EventId, Guid ChannelId, string Action)
{
    public const string Queue = "alerts.notify";
}
