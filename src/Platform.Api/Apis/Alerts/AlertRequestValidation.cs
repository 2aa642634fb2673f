using MimeKit;
using Platform.Domain.Alerting;
using Platform.Infrastructure.Alerting.Channels;

namespace Platform.Api.Apis.Alerts;

/// <summary>The limits of alert channels and rules, checked before anything is stored; every problem is reported at once.</summary>
public static class AlertRequestValidation
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxRoutingKeyLength = 128;
    public const int MaxHostLength = 253;
    public const int MaxCredentialLength = 256;
    public const int MaxRecipients = 10;
    public const int MaxRuleChannels = 10;
    public const int MinCooldownSeconds = 1;
    public const int MaxCooldownSeconds = 86_400;
    public const int DefaultCooldownSeconds = 900;

    public sealed record ValidChannel(string Name, string Kind, EmailSettings? Email, string Secret);

    public sealed record ValidRule(string Name, string Kind, IReadOnlyList<Guid> ChannelIds, int CooldownSeconds, bool Enabled);

    public static (ValidChannel? Channel, FieldErrors Errors) Channel(CreateAlertChannelRequest request)
    {
        var errors = new FieldErrors();
        var name = Name(errors, request.Name);
        var kind = request.Kind ?? "";
        if (!AlertChannelKinds.All.Contains(kind))
        {
            errors.Add("kind", $"Must be one of: {string.Join(", ", AlertChannelKinds.All)}.");
            return (null, errors);
        }
        string secret = "";
        EmailSettings? email = null;
        if (AlertChannelKinds.PostsToSecretUrl(kind))
        {
            secret = Url(errors, request.Url);
        }
        else if (kind == AlertChannelKinds.PagerDuty)
        {
            secret = request.RoutingKey?.Trim() ?? "";
            if (secret.Length is 0 or > MaxRoutingKeyLength || secret.Any(char.IsWhiteSpace))
            {
                errors.Add("routingKey", $"The integration's routing key is required: 1–{MaxRoutingKeyLength} characters without spaces.");
            }
        }
        else
        {
            (email, secret) = Email(errors, request.Email);
        }
        return errors.IsEmpty ? (new ValidChannel(name, kind, email, secret), errors) : (null, errors);
    }

    public static (ValidRule? Rule, FieldErrors Errors) Rule(CreateAlertRuleRequest request, bool platformWide)
    {
        var errors = new FieldErrors();
        var name = Name(errors, request.Name);
        var kind = request.Kind ?? "";
        if (!AlertKinds.AllowedFor(platformWide, kind))
        {
            var allowed = platformWide ? AlertKinds.All : AlertKinds.Tenant;
            errors.Add("kind", $"Must be one of: {string.Join(", ", allowed)}." + (platformWide ? "" : " Queue health alerts are platform-wide (operators only)."));
        }
        var channelIds = (request.ChannelIds ?? []).Distinct().ToList();
        if (channelIds.Count is 0 or > MaxRuleChannels)
        {
            errors.Add("channelIds", $"Name 1–{MaxRuleChannels} channels of your own.");
        }
        var cooldown = request.CooldownSeconds ?? DefaultCooldownSeconds;
        if (cooldown is < MinCooldownSeconds or > MaxCooldownSeconds)
        {
            errors.Add("cooldownSeconds", $"Must be between {MinCooldownSeconds} and {MaxCooldownSeconds}.");
        }
        return errors.IsEmpty ? (new ValidRule(name, kind, channelIds, cooldown, request.Enabled ?? true), errors) : (null, errors);
    }

    private static string Name(FieldErrors errors, string? value)
    {
        var name = value?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            errors.Add("name", $"Required: 1–{MaxNameLength} characters without control characters.");
        }
        return name;
    }

    private static string Url(FieldErrors errors, string? value)
    {
        var url = value?.Trim() ?? "";
        if (url.Length is 0 or > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the value: it is a secret.
            errors.Add("url", $"Required: an absolute http(s) URL of at most {MaxUrlLength} characters, without user info.");
        }
        return url;
    }

    private static (EmailSettings? Settings, string Password) Email(FieldErrors errors, EmailChannelRequest? request)
    {
        if (request is null)
        {
            errors.Add("email", "Required for kind 'email': host, port, security, from, to (username and password optional).");
            return (null, "");
        }
        var host = request.Host?.Trim() ?? "";
        if (host.Length is 0 or > MaxHostLength || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors.Add("email.host", "Required: the SMTP server's host name or IP address.");
        }
        var port = request.Port ?? 587;
        if (port is < 1 or > 65_535)
        {
            errors.Add("email.port", "Must be between 1 and 65535.");
        }
        var security = request.Security ?? EmailSettings.SecurityStartTls;
        if (!EmailSettings.SecurityModes.Contains(security))
        {
            errors.Add("email.security", $"Must be one of: {string.Join(", ", EmailSettings.SecurityModes)}.");
        }
        if (request.Username?.Length > MaxCredentialLength || request.Password?.Length > MaxCredentialLength)
        {
            errors.Add("email.username", $"Username and password have at most {MaxCredentialLength} characters.");
        }
        if (!IsAddress(request.From))
        {
            errors.Add("email.from", "Required: one email address.");
        }
        var to = (request.To ?? []).Select(address => address?.Trim() ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (to.Count is 0 or > MaxRecipients || !to.All(IsAddress))
        {
            errors.Add("email.to", $"Required: 1–{MaxRecipients} email addresses.");
        }
        var username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username.Trim();
        return (new EmailSettings(host, port, security, username, request.From?.Trim() ?? "", to), request.Password ?? "");
    }

    private static bool IsAddress(string? value) =>
        value is { Length: > 0 and <= 254 } && MailboxAddress.TryParse(value.Trim(), out var address) && address.Address.Contains('@');
}
