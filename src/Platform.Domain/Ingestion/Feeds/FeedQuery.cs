namespace Platform.Domain.Ingestion.Feeds;

/// <summary>
/// What one partition asks of a supplier: stones priced in the half-open range [<see cref="MinPrice"/>,
/// <see cref="MaxPrice"/>) and updated within [<see cref="UpdatedFrom"/>, <see cref="UpdatedTo"/>].
/// <see cref="UpdatedTo"/> is frozen when the run starts, so every page of a run sees the same window.
/// </summary>
public sealed record FeedQuery(decimal MinPrice, decimal MaxPrice, DateTimeOffset UpdatedFrom, DateTimeOffset UpdatedTo);
