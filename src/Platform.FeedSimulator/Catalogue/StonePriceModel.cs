namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// A rough retail price: price per carat grows with size, scaled by colour, clarity and origin,
/// with noise, plus a fixed handling cost. Tuned so about 80 % of a catalogue is under
/// $20 000, as the pipeline's heatmap expects.
/// </summary>
internal static class StonePriceModel
{
    public const int MinPriceCents = 100_00;
    public const int MaxPriceCentsExclusive = 250_000_00;

    private const double OneCaratPricePerCarat = 7000;
    private const double HandlingDollars = 150;
    private const double LabGrownDiscount = 0.18;

    private static readonly double[] ColorFactors = [1.6, 1.4, 1.25, 1.1, 1.0, 0.85, 0.72, 0.6, 0.5, 0.42];
    private static readonly double[] ClarityFactors = [1.9, 1.6, 1.4, 1.3, 1.15, 1.0, 0.85, 0.7, 0.45];

    public static int PriceCents(Random random, double carats, byte color, byte clarity, bool labGrown)
    {
        var dollars = HandlingDollars + (OneCaratPricePerCarat * carats * carats
            * ColorFactors[color] * ClarityFactors[clarity]
            * (labGrown ? LabGrownDiscount : 1.0)
            * (0.85 + (random.NextDouble() * 0.35)));
        var cents = (long)Math.Round(dollars * 100);

        // Big natural stones would cost more than the feed's price ceiling; spread them over its top
        // band instead of piling them onto the bound.
        return cents >= MaxPriceCentsExclusive
            ? 150_000_00 + random.Next(100_000_00)
            : (int)Math.Max(cents, MinPriceCents);
    }
}
