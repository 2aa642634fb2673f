namespace Platform.Infrastructure.Security.Egress;

/// <summary>
/// Where the platform may connect on a tenant's behalf (feed adapters, alert channels): the SSRF guard of ADR 0034.
/// Section <c>Security:Egress</c>.
/// </summary>
public sealed class EgressOptions
{
    public const string SectionName = "Security:Egress";

    /// <summary>The most <see cref="AllowedHosts"/> entries; the list is for a few known internal suppliers, not a registry.</summary>
    public const int MaxAllowedHosts = 100;

    /// <summary>
    /// Whether loopback, private (RFC 1918, fc00::/7), link-local (incl. the cloud metadata address), CGNAT and other
    /// non-public addresses may be reached. Unset: true in Development and Testing (the simulator and test receivers
    /// listen on 127.0.0.1), false everywhere else.
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>Whether plain <c>http</c> URLs are accepted. Unset: true in Development and Testing, false elsewhere (https only).</summary>
    public bool? AllowHttp { get; set; }

    /// <summary>
    /// Host names (exact, case-insensitive) exempt from the address checks, e.g. a supplier reached over a private link.
    /// The scheme rule still applies.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
