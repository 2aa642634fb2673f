using System.Net;
using System.Net.Sockets;

namespace Platform.Infrastructure.Security.Egress;

/// <summary>
/// Classifies the addresses a tenant-supplied URL may lead to. Only public unicast addresses are reachable unless
/// <see cref="EgressOptions.AllowPrivateNetworks"/> is on; everything else names the reason it is refused.
/// </summary>
public static class EgressAddresses
{
    // (network, prefix length, reason); IPv4 ranges also catch IPv4-mapped, IPv4-compatible and NAT64 IPv6 forms, which are unwrapped first.
    private static readonly (IPNetwork Network, string Reason)[] BlockedV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a 'this network' address (0.0.0.0/8)"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address (10.0.0.0/8)"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address (100.64.0.0/10)"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (169.254.0.0/16, incl. cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address (172.16.0.0/12)"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol address (192.0.0.0/24)"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address (192.168.0.0/16)"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address (198.18.0.0/15)"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved or broadcast address (240.0.0.0/4)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] BlockedV6 =
    [
        (IPNetwork.Parse("::/128"), "the unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("100::/64"), "a discard-only address (100::/64)"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("fc00::/7"), "a unique local (private) address (fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address (fe80::/10)"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address (fec0::/10)"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    /// <summary>Why <paramref name="address"/> is not a public unicast address, or null when it is.</summary>
    public static string? BlockReason(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
            {
                return BlockedV6.First(b => b.Network.Contains(address)).Reason;
            }
            if (address.IsIPv4MappedToIPv6)
            {
                return BlockReason(address.MapToIPv4());
            }
            // ::a.b.c.d (deprecated IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
            if ((Nat64.Contains(address) || Compatible.Contains(address)))
            {
                var bytes = address.GetAddressBytes();
                return BlockReason(new IPAddress(bytes[12..]));
            }
            return BlockedV6.FirstOrDefault(b => b.Network.Contains(address)).Reason;
        }
        return address.AddressFamily == AddressFamily.InterNetwork
            ? BlockedV4.FirstOrDefault(b => b.Network.Contains(address)).Reason
            : "not an IP address";
    }
}
