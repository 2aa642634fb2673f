using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security.Egress;

/// <summary>
/// The SSRF guard (ADR 0034) in two layers: <see cref="CheckUrlAsync"/> refuses a tenant's URL when it is stored, and
/// <see cref="ConnectAsync"/> — the <see cref="SocketsHttpHandler.ConnectCallback"/> of every HttpClient that calls a
/// tenant's URL — resolves the host itself and connects only to allowed addresses, so a name that resolved to a public
/// address at validation and to 127.0.0.1 at call time (DNS rebinding) still cannot reach the inside.
/// </summary>
public sealed class EgressGuard(IOptions<EgressOptions> options, IHostEnvironment? environment)
{
    /// <summary>How long validation waits for DNS; an unresolvable name is left to the connect-time check.</summary>
    public static readonly TimeSpan ValidationDnsTimeout = TimeSpan.FromSeconds(3);

    // Without a host environment (a bare service collection) nothing is relaxed.
    private bool Relaxed => environment is not null && (environment.IsDevelopment() || environment.IsEnvironment("Testing"));

    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks ?? Relaxed;

    public bool AllowHttp => options.Value.AllowHttp ?? Relaxed;

    /// <summary>A handler for an HttpClient that calls tenant URLs: connects through the guard and never through an ambient proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        // A proxy would make the guard check the proxy's address instead of the target's.
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Why the platform must not call <paramref name="url"/>, or null when it may. Never echoes the URL (it may hold a secret).</summary>
    public async Task<string?> CheckUrlAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp && AllowHttp))
        {
            return AllowHttp ? "Only http and https URLs are allowed." : "Only https URLs are allowed.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "The URL must not contain user info (user:password@); put credentials in the credentials field.";
        }
        return await CheckHostAsync(url.IdnHost, cancellationToken);
    }

    /// <summary>Why <paramref name="host"/> (a name or an IP literal) must not be called, or null when it may.</summary>
    public async Task<string?> CheckHostAsync(string host, CancellationToken cancellationToken)
    {
        if (AllowPrivateNetworks || IsAllowedHost(host))
        {
            return null;
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ValidationDnsTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not resolvable now (or slow): nothing to judge; the connect-time check refuses it if it ever resolves inside.
                return null;
            }
        }
        return addresses.Select(EgressAddresses.BlockReason).FirstOrDefault(reason => reason is not null) is { } blocked
            ? $"The host is or resolves to {blocked}, which the platform does not call on a tenant's behalf."
            : null;
    }

    /// <summary>
    /// Resolves the host, drops every blocked address and connects to the first remaining one that answers. A host with
    /// no allowed address fails the request with <see cref="EgressRefusedException"/> before any packet is sent to it.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!AllowPrivateNetworks && !IsAllowedHost(host))
        {
            var blocked = addresses.Select(EgressAddresses.BlockReason).FirstOrDefault(reason => reason is not null);
            addresses = addresses.Where(address => EgressAddresses.BlockReason(address) is null).ToArray();
            if (addresses.Length == 0)
            {
                throw new EgressRefusedException(host, blocked ?? "no address");
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool IsAllowedHost(string host) =>
        options.Value.AllowedHosts.Any(allowed => string.Equals(allowed.Trim(), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>A call to a tenant's URL refused because its host resolves only to blocked addresses (ADR 0034).</summary>
public sealed class EgressRefusedException(string host, string reason)
    : IOException($"Refused to connect to '{host}': it resolves to {reason}. Tenant URLs must be public (Security:Egress).")
{
    public string Host { get; } = host;
}
