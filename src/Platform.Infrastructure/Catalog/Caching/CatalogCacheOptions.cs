using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure.Catalog.Caching;

/// <summary>
/// Caching of catalog reads (<c>Catalog:Cache</c>, PLATFORM §8). Entries are keyed by the organization's dataset
/// version, so a consolidation or a hold makes them unreachable at once; the lifetimes below only bound memory and
/// Redis use. <see cref="VersionCheckMilliseconds"/> is how stale a replica's view of the version may be.
/// </summary>
public sealed class CatalogCacheOptions
{
    public const string SectionName = "Catalog:Cache";

    /// <summary>Off: every read goes to Postgres (benchmarks compare both).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 86_400)]
    public int SearchSeconds { get; set; } = 300;

    [Range(1, 86_400)]
    public int DetailSeconds { get; set; } = 300;

    [Range(1, 86_400)]
    public int AnalyticsSeconds { get; set; } = 60;

    /// <summary>The in-process (L1) lifetime, capped by the entry's own; Redis (L2) keeps it for the full lifetime.</summary>
    [Range(1, 86_400)]
    public int LocalSeconds { get; set; } = 60;

    /// <summary>How long a replica reuses an organization's dataset version before reading it again.</summary>
    [Range(0, 60_000)]
    public int VersionCheckMilliseconds { get; set; } = 1_000;

    /// <summary>The largest entry cached (bytes of serialized JSON); bigger answers are served uncached.</summary>
    [Range(1_024, 64 * 1_024 * 1_024)]
    public int MaxEntryBytes { get; set; } = 4 * 1_024 * 1_024;
}
