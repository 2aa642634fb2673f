namespace Platform.FeedSimulator.Catalogue;

/// <summary>The grading vocabulary of the supplier API and how often each value occurs.</summary>
internal static class StoneVocabulary
{
    public static readonly string[] Shapes =
    [
        "ROUND", "OVAL", "EMERALD", "CUSHION", "CUSHION_MODIFIED", "PRINCESS", "PEAR", "MARQUISE", "RADIANT",
        "ASSCHER", "HEART", "BAGUETTE", "TRILLION", "EUROPEAN", "OLD_MINER", "ROSE", "TAPERED_BAGUETTE",
    ];

    public static readonly WeightedChoice ShapeWeights = new([45, 10, 7, 6, 4, 6, 6, 3, 5, 2, 2, 1, 1, 0.5, 0.5, 0.5, 0.5]);

    public static readonly string[] Colors = ["D", "E", "F", "G", "H", "I", "J", "K", "L", "M"];

    public static readonly WeightedChoice ColorWeights = new([8, 12, 16, 18, 15, 11, 8, 6, 4, 2]);

    public static readonly string[] Clarities = ["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1"];

    public static readonly WeightedChoice ClarityWeights = new([1, 4, 9, 12, 18, 20, 17, 12, 7]);

    /// <summary>Shared by cut, polish and symmetry.</summary>
    public static readonly string[] Finishes = ["EX", "VG", "G", "F"];

    public static readonly WeightedChoice FinishWeights = new([55, 30, 12, 3]);

    public static readonly string[] Fluorescences = ["NONE", "FAINT", "MEDIUM", "STRONG"];

    public static readonly WeightedChoice FluorescenceWeights = new([65, 18, 11, 6]);

    public static readonly string[] Labs = ["GIA", "IGI", "HRD"];

    public static readonly WeightedChoice NaturalLabWeights = new([80, 10, 10]);

    public static readonly WeightedChoice LabGrownLabWeights = new([20, 75, 5]);

    public static readonly string[] Availabilities = ["AVAILABLE", "ON_HOLD", "SOLD"];

    public static readonly WeightedChoice AvailabilityWeights = new([92, 5, 3]);

    public static readonly string[] Suppliers =
    [
        "Antwerp Brilliant Co", "Mumbai Facets Ltd", "Ramat Gan Stones", "Surat Lab Diamonds", "Gaborone Rough & Polished",
        "New York Solitaire House", "Hong Kong Gem Exchange", "Tel Aviv Cutting Works", "Dubai Carat Traders",
        "Bangkok Sparkle Ltd", "London Hatton Gems", "Johannesburg Diamond Guild",
    ];

    public const double LabGrownShare = 0.35;
}
