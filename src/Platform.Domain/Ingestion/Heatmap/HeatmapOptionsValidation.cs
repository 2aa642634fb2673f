namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>The rules that keep a scan terminating and its ranges on whole dollars.</summary>
internal static class HeatmapOptionsValidation
{
    public static IReadOnlyList<string> Problems(HeatmapOptions o)
    {
        var problems = new List<string>();

        WholeDollars(problems, nameof(o.MinPrice), o.MinPrice);
        WholeDollars(problems, nameof(o.MaxPrice), o.MaxPrice);
        WholeDollars(problems, nameof(o.DenseZoneThreshold), o.DenseZoneThreshold);
        if (o.MinPrice < 0)
            problems.Add($"MinPrice must not be negative (was {o.MinPrice}).");
        if (o.MaxPrice <= o.MinPrice)
            problems.Add($"MaxPrice must be greater than MinPrice (was {o.MaxPrice}, MinPrice {o.MinPrice}).");
        if (o.DenseZoneThreshold < 0)
            problems.Add($"DenseZoneThreshold must not be negative (was {o.DenseZoneThreshold}).");

        PositiveStep(problems, nameof(o.DenseZoneStep), o.DenseZoneStep);
        PositiveStep(problems, nameof(o.InitialStep), o.InitialStep);
        PositiveStep(problems, nameof(o.MinStep), o.MinStep);
        PositiveStep(problems, nameof(o.MaxStep), o.MaxStep);
        PositiveStep(problems, nameof(o.MaxZoomStep), o.MaxZoomStep);
        PositiveStep(problems, nameof(o.CoarseStep), o.CoarseStep);
        PositiveStep(problems, nameof(o.FineMinStep), o.FineMinStep);
        PositiveStep(problems, nameof(o.FineMaxStep), o.FineMaxStep);
        if (o.MaxStep < o.MinStep)
            problems.Add($"MaxStep must not be less than MinStep (was {o.MaxStep}, MinStep {o.MinStep}).");
        if (o.FineMaxStep < o.FineMinStep)
            problems.Add($"FineMaxStep must not be less than FineMinStep (was {o.FineMaxStep}, FineMinStep {o.FineMinStep}).");

        AtLeast(problems, nameof(o.TargetRecordsPerChunk), o.TargetRecordsPerChunk, 1);
        AtLeast(problems, nameof(o.EmptyZoomFactor), o.EmptyZoomFactor, 1);
        AtLeast(problems, nameof(o.FineEmptyZoomFactor), o.FineEmptyZoomFactor, 1);
        AtLeast(problems, nameof(o.Concurrency), o.Concurrency, 1);
        AtLeast(problems, nameof(o.MaxWorkers), o.MaxWorkers, 1);
        AtLeast(problems, nameof(o.MinRecordsPerWorker), o.MinRecordsPerWorker, 1);
        AtLeast(problems, nameof(o.CountRetries), o.CountRetries, 0);
        if (o.MaxTotalRecords is { } cap)
            AtLeast(problems, nameof(o.MaxTotalRecords), cap, 1);
        if (o.CountRetryDelay < TimeSpan.Zero)
            problems.Add($"CountRetryDelay must not be negative (was {o.CountRetryDelay}).");

        return problems;
    }

    private static void WholeDollars(List<string> problems, string field, decimal value)
    {
        if (decimal.Truncate(value) != value)
            problems.Add($"{field} must be a whole number of dollars (was {value}).");
    }

    private static void PositiveStep(List<string> problems, string field, decimal value)
    {
        if (value <= 0)
            problems.Add($"{field} must be greater than zero (was {value}).");
        else
            WholeDollars(problems, field, value);
    }

    private static void AtLeast(List<string> problems, string field, long value, long minimum)
    {
        if (value < minimum)
            problems.Add($"{field} must be at least {minimum} (was {value}).");
    }
}
