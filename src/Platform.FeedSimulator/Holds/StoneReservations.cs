using System.Collections.Concurrent;

namespace Platform.FeedSimulator.Holds;

/// <summary>
/// Holds and orders are runtime state layered over the catalogue: they change what a stone's
/// availability reads as, not the catalogue itself, and /admin/reset clears them.
/// </summary>
internal sealed class StoneReservations(TimeProvider timeProvider)
{
    public static readonly TimeSpan HoldDuration = TimeSpan.FromHours(48);

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<int, byte> availabilityOverrides = new();
    private readonly Dictionary<string, Hold> holds = [];
    private int holdSequence;
    private int orderSequence;

    public byte EffectiveAvailability(int index, byte catalogueAvailability) =>
        availabilityOverrides.TryGetValue(index, out var overridden) ? overridden : catalogueAvailability;

    public ReservationResult<Hold> PlaceHold(CatalogueSnapshot snapshot, int index)
    {
        lock (gate)
        {
            if (EffectiveAvailability(index, snapshot.Stones[index].Availability) != StoneAvailability.Available)
            {
                return ReservationResult<Hold>.Conflict("The stone is not available.");
            }
            var hold = new Hold(
                $"HOLD-{++holdSequence:D6}",
                index,
                StoneIdentity.StoneId(snapshot.Seed, index),
                timeProvider.GetUtcNow().Add(HoldDuration));
            holds[hold.HoldId] = hold;
            availabilityOverrides[index] = StoneAvailability.OnHold;
            return ReservationResult<Hold>.Done(hold);
        }
    }

    /// <summary>Ends a hold; the stone becomes available again unless it was sold meanwhile.</summary>
    public Hold? ReleaseHold(string holdId)
    {
        lock (gate)
        {
            if (!holds.Remove(holdId, out var hold))
            {
                return null;
            }
            if (availabilityOverrides.TryGetValue(hold.StoneIndex, out var current) && current == StoneAvailability.OnHold)
            {
                availabilityOverrides[hold.StoneIndex] = StoneAvailability.Available;
            }
            return hold;
        }
    }

    public ReservationResult<string> PlaceOrder(CatalogueSnapshot snapshot, int index)
    {
        lock (gate)
        {
            if (EffectiveAvailability(index, snapshot.Stones[index].Availability) == StoneAvailability.Sold)
            {
                return ReservationResult<string>.Conflict("The stone is already sold.");
            }
            availabilityOverrides[index] = StoneAvailability.Sold;
            return ReservationResult<string>.Done($"ORDER-{++orderSequence:D6}");
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            holds.Clear();
            availabilityOverrides.Clear();
            holdSequence = 0;
            orderSequence = 0;
        }
    }
}

internal sealed record Hold(string HoldId, int StoneIndex, string DiamondId, DateTimeOffset HoldUntil);

internal sealed record ReservationResult<T>(T? Value, string? ConflictReason)
{
    public static ReservationResult<T> Done(T value) => new(value, null);

    public static ReservationResult<T> Conflict(string reason) => new(default, reason);
}
