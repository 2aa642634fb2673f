namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// How the next step follows from the last count above the dense zone: aim at the target number of stones per
/// range, and zoom out through empty space. The single pass and the two-pass fine scan differ only in the numbers.
/// </summary>
internal sealed record AdaptiveStepPolicy(
    decimal InitialStep,
    decimal MinStep,
    decimal MaxStep,
    int EmptyZoomFactor,
    decimal MaxZoomStep,
    long TargetRecordsPerChunk)
{
    public static AdaptiveStepPolicy SinglePass(HeatmapOptions o) =>
        new(o.InitialStep, o.MinStep, o.MaxStep, o.EmptyZoomFactor, o.MaxZoomStep, o.TargetRecordsPerChunk);

    public static AdaptiveStepPolicy FineScan(HeatmapOptions o) =>
        new(Math.Clamp(o.InitialStep, o.FineMinStep, o.FineMaxStep), o.FineMinStep, o.FineMaxStep,
            o.FineEmptyZoomFactor, o.FineMaxStep, o.TargetRecordsPerChunk);

    public decimal Next(decimal step, long count) =>
        count == 0
            ? Math.Min(step * EmptyZoomFactor, MaxZoomStep)
            : Math.Clamp(decimal.Floor(step * TargetRecordsPerChunk / count), MinStep, MaxStep);
}
