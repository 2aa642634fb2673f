namespace Platform.Domain.Ingestion.Heatmap;

/// <summary>
/// A half-open price interval <c>[Min, Max)</c> in whole dollars. Half-open so that consecutive ranges
/// share a boundary without a gap or an overlap: a stone priced exactly at a boundary belongs to the upper range.
/// Suppliers with inclusive integer filters receive <c>from = Min, to = Max − 1</c> (SOURCES §3.5).
/// </summary>
public sealed record PriceRange
{
    /// <summary>Creates a range; both ends must be whole dollars and <paramref name="max"/> must exceed <paramref name="min"/>.</summary>
    public PriceRange(decimal min, decimal max)
    {
        if (decimal.Truncate(min) != min)
            throw new ArgumentOutOfRangeException(nameof(min), min, "Price ranges start on whole dollars.");
        if (decimal.Truncate(max) != max)
            throw new ArgumentOutOfRangeException(nameof(max), max, "Price ranges end on whole dollars.");
        if (max <= min)
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The end must be greater than the start ({min}).");

        Min = min;
        Max = max;
    }

    /// <summary>Inclusive lower bound.</summary>
    public decimal Min { get; }

    /// <summary>Exclusive upper bound.</summary>
    public decimal Max { get; }

    public decimal Width => Max - Min;

    public bool Contains(decimal price) => price >= Min && price < Max;

    public override string ToString() => $"[{Min}, {Max})";
}
