using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Mapping;

namespace Platform.Infrastructure.Feeds.Simulator;

/// <summary>Maps a stored simulator stone (see the simulator's README for the shape) to the catalog model.</summary>
internal static class SimulatorStoneMapper
{
    public static DiamondDraft Map(RawStone stone)
    {
        var source = $"Simulator stone '{stone.SupplierStoneId}'";
        using var document = PayloadFields.Parse(stone.PayloadJson, source);
        var payload = document.RootElement;
        var certificate = PayloadFields.OptionalObject(payload, "certificate");
        var carats = PayloadFields.RequiredDecimal(payload, "carats", source);
        var price = PayloadFields.RequiredDecimal(payload, "price", source);
        if (carats <= 0 || price < 0)
        {
            throw new FeedMappingException($"{source}: carats must be positive and price not negative (were {carats} and {price}).");
        }
        return new DiamondDraft
        {
            SupplierStoneId = stone.SupplierStoneId,
            OfferId = stone.OfferId,
            Shape = PayloadFields.RequiredString(payload, "shape", source).Trim().ToUpperInvariant(),
            Carats = carats,
            Color = PayloadFields.OptionalCode(payload, "color", source),
            Clarity = PayloadFields.OptionalCode(payload, "clarity", source),
            Cut = PayloadFields.OptionalCode(payload, "cut", source),
            Polish = PayloadFields.OptionalCode(payload, "polish", source),
            Symmetry = PayloadFields.OptionalCode(payload, "symmetry", source),
            Fluorescence = PayloadFields.OptionalCode(payload, "fluorescence", source),
            LabGrown = PayloadFields.OptionalBoolean(payload, "labGrown", source)
                ?? throw new FeedMappingException($"{source}: field 'labGrown' is missing or not true or false."),
            FeedPrice = decimal.Round(price, 2, MidpointRounding.AwayFromZero),
            Availability = AvailabilityOf(PayloadFields.OptionalString(payload, "availability", source)),
            CertificateLab = certificate is { } lab ? PayloadFields.OptionalCode(lab, "lab", source) : null,
            CertificateNumber = certificate is { } number ? PayloadFields.OptionalString(number, "number", source) : null,
            ImageUrl = PayloadFields.OptionalString(payload, "imageUrl", source),
            VideoUrl = PayloadFields.OptionalString(payload, "videoUrl", source),
            SupplierName = PayloadFields.OptionalString(payload, "supplierName", source),
            SourceUpdatedAt = stone.SourceUpdatedAt,
        };
    }

    private static string AvailabilityOf(string? raw) => raw?.Trim().ToUpperInvariant() switch
    {
        "AVAILABLE" => DiamondAvailability.Available,
        "ON_HOLD" => DiamondAvailability.OnHold,
        "SOLD" => DiamondAvailability.Sold,
        _ => DiamondAvailability.Unavailable,
    };
}
