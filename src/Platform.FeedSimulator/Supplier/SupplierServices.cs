using Platform.FeedSimulator.Holds;

namespace Platform.FeedSimulator.Supplier;

/// <summary>What the supplier endpoints need, bundled for <c>[AsParameters]</c>.</summary>
internal sealed record SupplierServices(
    CatalogueStore Catalogue,
    StoneReservations Reservations,
    IOptions<SupplierApiOptions> Options);
