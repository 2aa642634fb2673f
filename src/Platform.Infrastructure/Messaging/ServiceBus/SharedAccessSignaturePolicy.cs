using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// Signs requests with a Service Bus SAS token: <c>SharedAccessSignature sr={uri}&amp;sig={HMAC-SHA256(key, uri + "\n" + expiry)}&amp;se={expiry}&amp;skn={name}</c>,
/// scoped to the namespace. One token is reused until five minutes before it expires.
/// </summary>
public sealed class SharedAccessSignaturePolicy(Uri endpoint, string keyName, string key, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private (string Token, DateTimeOffset RenewAt) _current = ("", DateTimeOffset.MinValue);

    public override void OnSendingRequest(HttpMessage message)
    {
        var current = _current;
        var now = time.GetUtcNow();
        if (now >= current.RenewAt)
        {
            current = (Create(endpoint, keyName, key, now + Lifetime), now + Lifetime - TimeSpan.FromMinutes(5));
            _current = current;
        }
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, current.Token);
    }

    public static string Create(Uri resource, string keyName, string key, DateTimeOffset expires)
    {
        var audience = Uri.EscapeDataString(resource.AbsoluteUri.ToLowerInvariant());
        var expiry = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{audience}\n{expiry}")));
        return $"SharedAccessSignature sr={audience}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }
}
