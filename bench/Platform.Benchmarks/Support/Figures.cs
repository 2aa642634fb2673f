namespace Platform.Benchmarks.Support;

/// <summary>How the benchmarks print numbers: invariant culture, at most two decimals.</summary>
public static class Figures
{
    public static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan? value) => value is { } span ? $"{Format(span.TotalSeconds)} s" : "n/a";

    /// <summary>Nearest-rank percentile of <paramref name="values"/> (sorted here).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            throw new BenchmarkFailedException("No samples to take a percentile of.");
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The benchmark could not produce a trustworthy figure (wrong row count, failed run, missing output).</summary>
public sealed class BenchmarkFailedException(string message) : Exception(message);
