namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>The system clock moved forward on demand: wall-clock time only, so real delays and timeouts still run.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private TimeSpan shift;

    public void Advance(TimeSpan by) => shift += by;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
