namespace Platform.UnitTests.Ingestion.Heatmap;

/// <summary>A clock whose timestamp advances by a fixed amount each time it is read.</summary>
internal sealed class SteppingTimeProvider(TimeSpan stepPerRead) : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref ticks, stepPerRead.Ticks);
}
