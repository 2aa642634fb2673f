namespace Platform.FeedSimulator.Search;

/// <summary>
/// The raw query string of the diamond endpoints. Bound as text so a malformed value gets a
/// problem naming the parameter instead of the framework's bare 400.
/// </summary>
internal sealed record DiamondQuery(
    string? PriceFrom,
    string? PriceTo,
    string? UpdatedFrom,
    string? UpdatedTo,
    string? LabGrown,
    string? Offset,
    string? Limit);
