namespace Platform.FeedSimulator.Catalogue;

/// <summary>
/// A rough retail price: price per carat grows with size, scaled by colour, clarity and origin,
/// with noise. Tuned so about 80 % of a catalogue is under $20 000, as the heatmap expects.
/// </summary>
internal static class StonePriceModel
{
    public const int MinPriceCents = 100_00;
    public const int MaxPriceCentsExclusive = 250_000_00;

    private const double OneCaratPricePerCarat = 5200;
    private const double SizeExponent = 0.8;
    private const double LabGrownDiscount = 0.18;

    private static readonly double[] ColorFactors = [1.6, 1.4, 1.25, 1.1, 1.0, 0.85, 0.72, 0.6, 0.5, 0.42];
    private static readonly double[] ClarityFactors = [1.9, 1.6, 1.4, 1.3, 1.15, 1.0, 0.85, 0.7, 0.45];

    public static int PriceCents(Random random, double carats, byte color, byte clarity, bool labGrown)
    {
        var dollars = OneCaratPricePerCarat * Math.Pow(carats, SizeExponent) * carats
            * ColorFactors[color] * ClarityFactors[clarity]
            * (labGrown ? LabGrownDiscount : 1.0)
            * (0.85 + (random.NextDouble() * 0.35));
        var cents = (long)Math.Round(dollars * 100);

        // Spread the tails instead of piling stones onto the bounds.
        if (cents < MinPriceCents)
        {
            return MinPriceCents + random.Next(15_000);
        }
        return cents >= MaxPriceCentsExclusive
            ? 150_000_00 + random.Next(100_000_00)
            : (int)cents;
    }
}
