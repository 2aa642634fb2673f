using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Infrastructure.Alerting.Channels;

/// <summary>The channel kinds Platform can notify.</summary>
public static class AlertChannelKinds
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Email = "email";
    public const string PagerDuty = "pagerduty";

    public static IReadOnlyList<string> All { get; } = [Webhook, Slack, Teams, Email, PagerDuty];

    /// <summary>Kinds whose secret is the URL notifications are posted to.</summary>
    public static bool PostsToSecretUrl(string kind) => kind is Webhook or Slack or Teams;
}

/// <summary>A stored channel. <see cref="Secret"/> (URL, SMTP password or routing key) never leaves the server.</summary>
public sealed record AlertChannel(
    Guid Id, Guid? OrgId, string Name, string Kind, EmailSettings? Email, string Secret, DateTimeOffset CreatedAt,
    DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailedAt, string? LastFailure)
{
    /// <summary>The last four characters of the secret, for an operator to recognise it; nothing for short secrets.</summary>
    public string SecretHint => Secret.Length >= 16 ? "…" + Secret[^4..] : "…";
}

/// <summary>The non-secret settings of an email channel (its <c>config</c> column); the SMTP password is the channel's secret.</summary>
public sealed record EmailSettings(string Host, int Port, string Security, string? Username, string From, IReadOnlyList<string> To)
{
    public const string SecurityNone = "none";
    public const string SecurityStartTls = "starttls";
    public const string SecuritySsl = "ssl";

    public static IReadOnlyList<string> SecurityModes { get; } = [SecurityNone, SecurityStartTls, SecuritySsl];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
