namespace Platform.FeedSimulator.Catalogue;

/// <summary>Builds the pristine catalogue: the same seed and size always give the same stones.</summary>
internal static class CatalogueGenerator
{
    private const double MinCarats = 0.30;
    private const double MaxCarats = 10.00;
    private const double MedianCaratsAboveMinimum = 0.7;
    private const double CaratSpread = 0.9;

    public static StoneRecord[] Generate(int seed, int size)
    {
        var random = new Random(seed);
        var stones = new StoneRecord[size];
        var epochTicks = CatalogueTimeline.Epoch.Ticks;
        for (var index = 0; index < size; index++)
        {
            stones[index] = NextStone(random, index, epochTicks);
        }
        return stones;
    }

    private static StoneRecord NextStone(Random random, int index, long epochTicks)
    {
        var caratHundredths = (ushort)Math.Round(NextCarats(random) * 100);
        var labGrown = random.NextDouble() < StoneVocabulary.LabGrownShare;
        var color = StoneVocabulary.ColorWeights.Pick(random);
        var clarity = StoneVocabulary.ClarityWeights.Pick(random);
        var createdTicks = CatalogueTimeline.CreatedAtTicks(index);
        var updatedSeconds = (long)(random.NextDouble() * ((epochTicks - createdTicks) / TimeSpan.TicksPerSecond));

        return new StoneRecord(
            PriceCents: StonePriceModel.PriceCents(random, caratHundredths / 100.0, color, clarity, labGrown),
            UpdatedAtTicks: createdTicks + (updatedSeconds * TimeSpan.TicksPerSecond),
            CertificateNumber: random.Next(1_000_000_000, int.MaxValue),
            CaratHundredths: caratHundredths,
            Shape: StoneVocabulary.ShapeWeights.Pick(random),
            Color: color,
            Clarity: clarity,
            Cut: StoneVocabulary.FinishWeights.Pick(random),
            Polish: StoneVocabulary.FinishWeights.Pick(random),
            Symmetry: StoneVocabulary.FinishWeights.Pick(random),
            Fluorescence: StoneVocabulary.FluorescenceWeights.Pick(random),
            Lab: (labGrown ? StoneVocabulary.LabGrownLabWeights : StoneVocabulary.NaturalLabWeights).Pick(random),
            Supplier: (byte)random.Next(StoneVocabulary.Suppliers.Length),
            Availability: StoneVocabulary.AvailabilityWeights.Pick(random),
            LabGrown: labGrown);
    }

    /// <summary>Log-normal above the 0.30 ct minimum: median about one carat, a thin tail up to ten.</summary>
    private static double NextCarats(Random random)
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm away from zero.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Min(MaxCarats, MinCarats + (MedianCaratsAboveMinimum * Math.Exp(CaratSpread * normal)));
    }
}
