namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>One non-empty price range of the density map and how many stones the supplier counted in it.</summary>
public sealed record DensityChunk(PriceRange Range, long Count);
