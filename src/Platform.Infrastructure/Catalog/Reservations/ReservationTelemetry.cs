using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Catalog.Reservations;

/// <summary>Metrics of holds and purchases (meter <c>Platform.Reservations</c>), tagged by <c>result</c>.</summary>
public static class ReservationTelemetry
{
    public const string Name = "Platform.Reservations";
    private static readonly Meter Meter = new(Name);

    /// <summary><c>result</c>: ok, denied (not available or refused by the supplier), error (supplier unreachable).</summary>
    public static readonly Counter<long> Holds = Meter.CreateCounter<long>("platform.holds", "{hold}", "Hold requests, by result.");

    /// <summary><c>result</c>: confirmed, rejected, replayed, error.</summary>
    public static readonly Counter<long> Purchases = Meter.CreateCounter<long>("platform.purchases", "{purchase}", "Purchase requests, by result.");

    internal static void Hold(string result) => Holds.Add(1, new KeyValuePair<string, object?>("result", result));

    internal static void Purchase(string result) => Purchases.Add(1, new KeyValuePair<string, object?>("result", result));
}
