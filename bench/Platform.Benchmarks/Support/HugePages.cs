namespace Platform.Benchmarks.Support;

/// <summary>
/// Whether the benchmark's Postgres cluster got its shared memory in huge pages (<c>huge_pages = try</c>, the default,
/// uses them when the kernel has some reserved; <c>bench.sh</c> reserves them). Printed with each benchmark's first line,
/// because it moves the figures: every backend faults in each 4 kB page of shared buffers it touches, and on this machine
/// a fault is expensive (docs/performance.md, "Huge pages").
/// </summary>
public static class HugePages
{
    /// <summary>
    /// Which pages the cluster's shared memory is in, from <c>/proc/meminfo</c>: the benchmark's own cluster is the only
    /// user of huge pages on the machine. Unknown for a server the benchmark did not start (<c>PLATFORM_TEST_POSTGRES</c>).
    /// </summary>
    public static string Describe(PostgresServer postgres)
    {
        if (!postgres.IsOwned)
        {
            return "Postgres's page size not known (a server the benchmark did not start)";
        }
        if (!File.Exists("/proc/meminfo"))
        {
            return "Postgres's page size not known (no /proc/meminfo)";
        }
        var values = File.ReadLines("/proc/meminfo")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => long.TryParse(parts[1].Trim().Split(' ')[0], out var value) ? value : 0);
        var total = values.GetValueOrDefault("HugePages_Total");
        // Reserved pages are promised to a mapping but not touched yet; they are Postgres's as much as the touched ones.
        var inUse = total - values.GetValueOrDefault("HugePages_Free") + values.GetValueOrDefault("HugePages_Rsvd");
        return inUse > 0
            ? $"Postgres shared memory in huge pages ({inUse} × {values.GetValueOrDefault("Hugepagesize")} kB in use)"
            : $"Postgres shared memory in 4 kB pages ({total} huge pages reserved)";
    }
}
