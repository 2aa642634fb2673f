namespace Platform.Domain.Ingestion.Feeds;

/// <summary>
/// A supplier stone mapped to the catalog model, before pricing. Prices are dollars with two decimals.
/// Grades are upper-case codes (e.g. color "G", clarity "VS1", cut "EX").
/// </summary>
public sealed record DiamondDraft
{
    public required string SupplierStoneId { get; init; }
    public string? OfferId { get; init; }
    public required string Shape { get; init; }
    public required decimal Carats { get; init; }
    public string? Color { get; init; }
    public string? Clarity { get; init; }
    public string? Cut { get; init; }
    public string? Polish { get; init; }
    public string? Symmetry { get; init; }
    public string? Fluorescence { get; init; }
    public required bool LabGrown { get; init; }
    public required decimal FeedPrice { get; init; }

    /// <summary>One of <see cref="DiamondAvailability"/>.</summary>
    public required string Availability { get; init; }

    public string? CertificateLab { get; init; }
    public string? CertificateNumber { get; init; }
    public string? ImageUrl { get; init; }
    public string? VideoUrl { get; init; }
    public string? SupplierName { get; init; }
    public required DateTimeOffset SourceUpdatedAt { get; init; }
}

/// <summary>The catalog's availability values.</summary>
public static class DiamondAvailability
{
    public const string Available = "available";
    public const string OnHold = "on_hold";
    public const string Sold = "sold";
    public const string Unavailable = "unavailable";
}
