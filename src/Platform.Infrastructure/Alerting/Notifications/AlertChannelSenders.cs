using System.Net.Http.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Platform.Infrastructure.Alerting.Channels;

namespace Platform.Infrastructure.Alerting.Notifications;

/// <summary>A delivery the channel refused or could not take (status, connection, SMTP reply); worth retrying later.</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Sends one notice over one channel's protocol, once. Timeouts, breakers and retries are the caller's.</summary>
public sealed class AlertChannelSenders(IHttpClientFactory httpClients, IOptions<AlertingOptions> options)
{
    public const string HttpClientName = "alerting";

    public Task SendAsync(AlertChannel channel, AlertNotice notice, CancellationToken cancellationToken) => channel.Kind switch
    {
        AlertChannelKinds.Email => SendEmailAsync(channel, notice, cancellationToken),
        AlertChannelKinds.PagerDuty => SendPagerDutyAsync(channel, notice, cancellationToken),
        _ => PostAsync(new Uri(channel.Secret), AlertPayloads.For(channel.Kind, notice), cancellationToken),
    };

    private async Task SendPagerDutyAsync(AlertChannel channel, AlertNotice notice, CancellationToken cancellationToken)
    {
        var url = options.Value.PagerDutyEventsUrl;
        await PostAsync(url, AlertPayloads.PagerDuty(notice, channel.Secret), cancellationToken);
        if (notice.Action == AlertNotice.Test)
        {
            // A test proves the routing key by opening an incident; it must not leave one open on somebody's pager.
            // Same dedup key (the test's own), so the resolve closes exactly the incident the trigger opened.
            await PostAsync(url, AlertPayloads.PagerDuty(notice with { Action = AlertNotice.Resolved, ResolvedAt = notice.FiredAt }, channel.Secret), cancellationToken);
        }
    }

    private async Task PostAsync(Uri url, System.Text.Json.Nodes.JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await httpClients.CreateClient(HttpClientName).PostAsJsonAsync(url, body, AlertNotice.Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The URL is the channel's secret: name the status only.
            throw new AlertDeliveryException($"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }

    private static async Task SendEmailAsync(AlertChannel channel, AlertNotice notice, CancellationToken cancellationToken)
    {
        var settings = channel.Email ?? throw new AlertDeliveryException("The email channel has no SMTP settings.");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.AddRange(settings.To.Select(MailboxAddress.Parse));
        message.Subject = notice.Headline.Length > 200 ? notice.Headline[..200] + "…" : notice.Headline;
        message.Body = new TextPart("plain")
        {
            Text = $"""
                {notice.Summary}

                Kind: {notice.Kind}    Severity: {notice.Severity}    Status: {notice.Action}
                Subject: {notice.Subject}
                Fired at: {notice.FiredAt:u}{(notice.ResolvedAt is { } resolved ? $"    Resolved at: {resolved:u}" : "")}
                Rule: {notice.RuleName}    Episode: {notice.EventId}

                Details: {notice.Details.ToJsonString()}

                What to do: see the runbook in docs/operations.md, section "Alerts", entry {notice.Kind}.
                """,
        };
        using var smtp = new SmtpClient();
        try
        {
            var security = settings.Security switch
            {
                EmailSettings.SecuritySsl => SecureSocketOptions.SslOnConnect,
                EmailSettings.SecurityStartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await smtp.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
            if (settings.Username is { Length: > 0 } username)
            {
                await smtp.AuthenticateAsync(username, channel.Secret, cancellationToken);
            }
            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or IOException
            or System.Net.Sockets.SocketException or SslHandshakeException)
        {
            throw new AlertDeliveryException($"SMTP delivery failed: {e.Message}", e);
        }
    }
}
