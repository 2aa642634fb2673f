using Platform.FeedSimulator.Telemetry;

namespace Platform.FeedSimulator.Admin;

/// <summary>POST /admin/mutations: change <c>fraction</c> of the stones, chosen by <c>seed</c>; kinds are price and/or availability.</summary>
internal sealed record MutationRequest(double? Fraction, int? Seed, IReadOnlyList<string>? Kinds);

internal sealed record MutationResponse(int Changed, IReadOnlyList<string> Ids, long Generation);

internal sealed record ResetResponse(long Generation);

internal sealed record CatalogueInfo(int Seed, int Size, long Generation);

internal sealed record AdminStats(
    CatalogueInfo Catalogue,
    Dictionary<string, Dictionary<string, long>> Requests,
    Dictionary<string, Dictionary<string, long>> FaultsInjected,
    long TotalRequests,
    long TotalFaults)
{
    public static AdminStats From(CatalogueSnapshot snapshot, SimulatorStats traffic) => new(
        new CatalogueInfo(snapshot.Seed, snapshot.Size, snapshot.Generation),
        traffic.Requests,
        traffic.FaultsInjected,
        traffic.TotalRequests,
        traffic.TotalFaults);
}
