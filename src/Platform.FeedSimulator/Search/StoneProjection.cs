using Platform.FeedSimulator.Holds;

namespace Platform.FeedSimulator.Search;

/// <summary>Expands a compact <see cref="StoneRecord"/> into the API's <see cref="Stone"/>.</summary>
internal static class StoneProjection
{
    private const string MediaHost = "https://media.feedsim.example";

    public static Stone ToStone(CatalogueSnapshot snapshot, int index, StoneReservations reservations)
    {
        var record = snapshot.Stones[index];
        var id = StoneIdentity.StoneId(snapshot.Seed, index);
        return new Stone(
            Id: id,
            OfferId: StoneIdentity.OfferId(snapshot.Seed, index),
            Shape: StoneVocabulary.Shapes[record.Shape],
            Carats: new decimal(record.CaratHundredths, 0, 0, isNegative: false, scale: 2),
            Color: StoneVocabulary.Colors[record.Color],
            Clarity: StoneVocabulary.Clarities[record.Clarity],
            Cut: StoneVocabulary.Finishes[record.Cut],
            Polish: StoneVocabulary.Finishes[record.Polish],
            Symmetry: StoneVocabulary.Finishes[record.Symmetry],
            Fluorescence: StoneVocabulary.Fluorescences[record.Fluorescence],
            LabGrown: record.LabGrown,
            Price: new decimal(record.PriceCents, 0, 0, isNegative: false, scale: 2),
            Availability: StoneVocabulary.Availabilities[reservations.EffectiveAvailability(index, record.Availability)],
            Certificate: new StoneCertificate(StoneVocabulary.Labs[record.Lab], record.CertificateNumber.ToString(CultureInfo.InvariantCulture)),
            ImageUrl: $"{MediaHost}/images/{id}.jpg",
            VideoUrl: $"{MediaHost}/videos/{id}/360.mp4",
            SupplierName: StoneVocabulary.Suppliers[record.Supplier],
            CreatedAt: new DateTime(CatalogueTimeline.CreatedAtTicks(index), DateTimeKind.Utc),
            UpdatedAt: new DateTime(record.UpdatedAtTicks, DateTimeKind.Utc));
    }
}
