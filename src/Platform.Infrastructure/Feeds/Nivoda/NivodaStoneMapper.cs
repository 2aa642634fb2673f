using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Mapping;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// Maps a stored Nivoda item (<c>{id, price, diamond {id, availability, certificate {…}, supplier {name}}}</c>) to the
/// catalog model. Nivoda's item <c>price</c> is in cents, as Diamond Opus's mapper reads it.
/// </summary>
internal static class NivodaStoneMapper
{
    public static DiamondDraft Map(RawStone stone)
    {
        var source = $"Nivoda stone '{stone.SupplierStoneId}'";
        using var document = PayloadFields.Parse(stone.PayloadJson, source);
        var item = document.RootElement;
        var diamond = PayloadFields.RequiredObject(item, "diamond", source);
        var certificate = PayloadFields.RequiredObject(diamond, "certificate", source);
        var carats = PayloadFields.RequiredDecimal(certificate, "carats", source);
        var priceCents = PayloadFields.RequiredDecimal(item, "price", source);
        if (carats <= 0 || priceCents < 0)
        {
            throw new FeedMappingException($"{source}: carats must be positive and price not negative (were {carats} and {priceCents} cents).");
        }
        var supplier = PayloadFields.OptionalObject(diamond, "supplier");
        return new DiamondDraft
        {
            SupplierStoneId = stone.SupplierStoneId,
            OfferId = stone.OfferId,
            Shape = PayloadFields.RequiredString(certificate, "shape", source).Trim().ToUpperInvariant(),
            Carats = carats,
            Color = PayloadFields.OptionalCode(certificate, "color", source),
            Clarity = PayloadFields.OptionalCode(certificate, "clarity", source),
            Cut = PayloadFields.OptionalCode(certificate, "cut", source),
            Polish = PayloadFields.OptionalCode(certificate, "polish", source),
            Symmetry = PayloadFields.OptionalCode(certificate, "symmetry", source),
            Fluorescence = PayloadFields.OptionalCode(certificate, "floInt", source),
            LabGrown = PayloadFields.OptionalBoolean(certificate, "labgrown", source) ?? false,
            FeedPrice = decimal.Round(priceCents / 100m, 2, MidpointRounding.AwayFromZero),
            Availability = AvailabilityOf(PayloadFields.OptionalString(diamond, "availability", source)),
            CertificateLab = PayloadFields.OptionalCode(certificate, "lab", source),
            CertificateNumber = PayloadFields.OptionalString(certificate, "certNumber", source),
            ImageUrl = PayloadFields.OptionalString(diamond, "image", source),
            VideoUrl = PayloadFields.OptionalString(diamond, "video", source),
            SupplierName = supplier is { } name ? PayloadFields.OptionalString(name, "name", source) : null,
            SourceUpdatedAt = stone.SourceUpdatedAt,
        };
    }

    /// <summary>
    /// Exact values, not substrings: Diamond Opus's <c>includes("available")</c> also matched "UNAVAILABLE".
    /// </summary>
    private static string AvailabilityOf(string? raw) => raw?.Trim().ToUpperInvariant() switch
    {
        "AVAILABLE" => DiamondAvailability.Available,
        "ON_HOLD" or "HOLD" or "ONHOLD" => DiamondAvailability.OnHold,
        "SOLD" => DiamondAvailability.Sold,
        _ => DiamondAvailability.Unavailable,
    };
}
