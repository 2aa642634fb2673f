namespace Platform.FeedSimulator.Catalogue;

/// <summary>Stable, seed-scoped identifiers derived from a stone's position in the catalogue.</summary>
internal static class StoneIdentity
{
    public static string StoneId(int seed, int index) => $"SIM-{seed}-{index:D7}";

    public static string OfferId(int seed, int index) => $"OFFER-{seed}-{index:D7}";

    public static bool TryParseIndex(string id, int seed, int size, out int index)
    {
        var prefix = $"SIM-{seed}-";
        index = -1;
        if (!id.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            || parsed >= size
            || StoneId(seed, parsed) != id)
        {
            return false;
        }
        index = parsed;
        return true;
    }
}
