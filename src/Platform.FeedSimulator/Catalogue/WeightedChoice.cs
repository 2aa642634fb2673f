namespace Platform.FeedSimulator.Catalogue;

/// <summary>Picks an index with probability proportional to its weight.</summary>
internal sealed class WeightedChoice
{
    private readonly double[] cumulative;

    public WeightedChoice(double[] weights)
    {
        cumulative = new double[weights.Length];
        var total = weights.Sum();
        var running = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }
    }

    public byte Pick(Random random)
    {
        var draw = random.NextDouble();
        for (var i = 0; i < cumulative.Length - 1; i++)
        {
            if (draw < cumulative[i])
            {
                return (byte)i;
            }
        }
        return (byte)(cumulative.Length - 1);
    }
}
