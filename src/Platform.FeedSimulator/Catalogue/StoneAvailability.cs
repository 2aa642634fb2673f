namespace Platform.FeedSimulator.Catalogue;

internal static class StoneAvailability
{
    public const byte Available = 0;
    public const byte OnHold = 1;
    public const byte Sold = 2;
}
