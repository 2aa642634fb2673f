namespace Platform.FeedSimulator.Search;

/// <summary>A stone as the supplier API returns it.</summary>
internal sealed record Stone(
    string Id,
    string OfferId,
    string Shape,
    decimal Carats,
    string Color,
    string Clarity,
    string Cut,
    string Polish,
    string Symmetry,
    string Fluorescence,
    bool LabGrown,
    decimal Price,
    string Availability,
    StoneCertificate Certificate,
    string ImageUrl,
    string VideoUrl,
    string SupplierName,
    DateTime CreatedAt,
    DateTime UpdatedAt);

internal sealed record StoneCertificate(string Lab, string Number);

internal sealed record DiamondCount(int Count);

internal sealed record DiamondPage(IReadOnlyList<Stone> Items, int TotalCount, int Offset, int Limit);
