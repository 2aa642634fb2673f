namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// The price slice one worker pages through, <c>[MinPrice, MaxPrice)</c>. <see cref="EstimatedRecords"/> comes from
/// count queries (and even splits of them), so the worker pages until the supplier runs dry, not to this number.
/// </summary>
public sealed record HeatmapPartition(string PartitionId, decimal MinPrice, decimal MaxPrice, long EstimatedRecords)
{
    public PriceRange Range => new(MinPrice, MaxPrice);

    /// <summary>Stable, sortable identifiers: <c>p-0001</c>, <c>p-0002</c>, …</summary>
    public static string IdFor(int ordinal) => $"p-{ordinal:D4}";
}
