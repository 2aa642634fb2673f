namespace Platform.Infrastructure.Catalog;

/// <summary>A catalog stone as the API shows it. Prices are dollars; grades are upper-case codes.</summary>
public class DiamondView
{
    /// <summary>The columns behind this view, for queries aliasing <c>diamonds</c> as <c>d</c>.</summary>
    public const string Columns = """
        d.id, d.feed_id, d.supplier_stone_id, d.offer_id, d.shape, d.carats, d.color, d.clarity, d.cut, d.polish, d.symmetry,
        d.fluorescence, d.lab_grown, d.retail_price, d.feed_price, d.price_per_carat, d.markup_ratio, d.rating, d.availability,
        d.certificate_lab, d.certificate_number, d.image_url, d.video_url, d.supplier_name, d.source_updated_at, d.created_at, d.updated_at
        """;

    public Guid Id { get; init; }
    public Guid FeedId { get; init; }
    public string SupplierStoneId { get; init; } = "";
    public string? OfferId { get; init; }
    public string Shape { get; init; } = "";
    public decimal Carats { get; init; }
    public string? Color { get; init; }
    public string? Clarity { get; init; }
    public string? Cut { get; init; }
    public string? Polish { get; init; }
    public string? Symmetry { get; init; }
    public string? Fluorescence { get; init; }
    public bool LabGrown { get; init; }
    public decimal RetailPrice { get; init; }
    public decimal FeedPrice { get; init; }
    public decimal? PricePerCarat { get; init; }
    public decimal MarkupRatio { get; init; }
    public short Rating { get; init; }
    public string Availability { get; init; } = "";
    public string? CertificateLab { get; init; }
    public string? CertificateNumber { get; init; }
    public string? ImageUrl { get; init; }
    public string? VideoUrl { get; init; }
    public string? SupplierName { get; init; }
    public DateTimeOffset SourceUpdatedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A search hit with the value it was sorted by, which the next page's cursor starts from.</summary>
public sealed class DiamondSearchRow : DiamondView
{
    [System.Text.Json.Serialization.JsonIgnore]
    public object SortKey { get; init; } = 0;
}
