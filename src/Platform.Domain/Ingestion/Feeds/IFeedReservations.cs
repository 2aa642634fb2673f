namespace Platform.Domain.Ingestion.Feeds;

/// <summary>
/// Holds and orders at the supplier, for adapters whose supplier offers them. Neither call is retried after it may
/// have reached the supplier (a timeout could hide a hold or an order that happened); only refusals that certainly
/// changed nothing, such as 429, are tried again.
/// </summary>
public interface IFeedReservations
{
    /// <summary>Holds the stone; a refusal when the supplier says it is not available.</summary>
    Task<ReservationOutcome<SupplierHold>> PlaceHoldAsync(SupplierStone stone, CancellationToken cancellationToken);

    /// <summary>Buys the stone, quoting <paramref name="reference"/> (our purchase id) so the supplier's records point back to ours.</summary>
    Task<ReservationOutcome<SupplierOrder>> PlaceOrderAsync(SupplierStone stone, string reference, CancellationToken cancellationToken);
}

/// <summary>The supplier's identities of a stone: its stone id and, where the supplier has them, the offer id.</summary>
public sealed record SupplierStone(string SupplierStoneId, string? OfferId);

public sealed record SupplierHold(string HoldId, DateTimeOffset? HoldUntil);

public sealed record SupplierOrder(string OrderId);

/// <summary>What the supplier did: the reservation, or why it refused (the stone is held or sold).</summary>
public sealed record ReservationOutcome<T>(T? Value, string? RefusalReason) where T : class;

public static class ReservationOutcome
{
    public static ReservationOutcome<T> Done<T>(T value) where T : class => new(value, null);

    public static ReservationOutcome<T> Refused<T>(string reason) where T : class => new(null, reason);
}
