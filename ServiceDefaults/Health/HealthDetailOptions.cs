using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults.Health;

/// <summary>
/// Section <c>Health</c>: who sees the per-component detail of <c>/health/ready</c> (reasons, queue depths, feed ids,
/// pool use). Everyone else gets the overall status only, with the same status code (ADR 0030).
/// </summary>
public sealed class HealthDetailOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>, <c>127.0.0.1/32</c>) whose callers see the detail without a key. Empty by
    /// default: behind a reverse proxy on the same host every caller would look local. The address is the connection's,
    /// or the forwarded one only from <c>ForwardedHeaders:KnownProxies</c>.
    /// </summary>
    public List<string> DetailNetworks { get; set; } = [];

    /// <summary>Callers that see the detail whatever their address; the api sets it to keys holding <c>platform:admin</c>.</summary>
    public Func<ClaimsPrincipal, bool> IsOperator { get; set; } = _ => false;

    internal IReadOnlyList<IPNetwork> Networks => _networks ??= DetailNetworks.Select(IPNetwork.Parse).ToList();

    private IReadOnlyList<IPNetwork>? _networks;

    public bool ShowsDetailTo(HttpContext context)
    {
        if (IsOperator(context.User))
        {
            return true;
        }
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return Networks.Any(network => network.Contains(address));
    }

    public IEnumerable<string> Validate()
    {
        foreach (var network in DetailNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return $"Configuration setting '{SectionName}:DetailNetworks' holds '{network}', which is not a CIDR network (e.g. 10.0.0.0/8).";
            }
        }
    }
}
