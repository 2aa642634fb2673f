namespace Platform.Domain.Catalog;

/// <summary>
/// The grading vocabulary clients may filter by, best grade first. Suppliers' codes are stored upper-case
/// (see <c>DiamondDraft</c>); these lists hold the feed simulator's values plus the other common GIA grades, so a
/// typo in a filter is a 400 instead of an empty result.
/// </summary>
public static class DiamondGrades
{
    public static readonly IReadOnlyList<string> Shapes =
    [
        "ROUND", "OVAL", "EMERALD", "CUSHION", "CUSHION_MODIFIED", "PRINCESS", "PEAR", "MARQUISE", "RADIANT",
        "ASSCHER", "HEART", "BAGUETTE", "TRILLION", "EUROPEAN", "OLD_MINER", "ROSE", "TAPERED_BAGUETTE",
        "SQUARE_EMERALD", "HALF_MOON", "KITE", "SHIELD", "TRAPEZOID", "OCTAGONAL", "BRIOLETTE", "OTHER",
    ];

    /// <summary>D (colourless) to Z. Their position is the sort rank of <c>sort=color</c>.</summary>
    public static readonly IReadOnlyList<string> Colors =
        ["D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"];

    /// <summary>Flawless to included. Their position is the sort rank of <c>sort=clarity</c>.</summary>
    public static readonly IReadOnlyList<string> Clarities = ["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "SI3", "I1", "I2", "I3"];

    /// <summary>Shared by cut, polish and symmetry: ideal, excellent, very good, good, fair, poor.</summary>
    public static readonly IReadOnlyList<string> Finishes = ["ID", "EX", "VG", "G", "F", "P"];

    public static readonly IReadOnlyList<string> Fluorescences = ["NONE", "FAINT", "MEDIUM", "STRONG", "VERY_STRONG"];

    /// <summary>As stored (lower-case), see <c>DiamondAvailability</c>.</summary>
    public static readonly IReadOnlyList<string> Availabilities = ["available", "on_hold", "sold", "unavailable"];

    /// <summary>Rank of a grade missing from the vocabulary (or null): after every known grade, so sorts stay total.</summary>
    public const int UnknownRank = 100;

    /// <summary>The sort rank of <paramref name="grade"/> in <paramref name="vocabulary"/>, as the SQL rank functions compute it (migration 0013).</summary>
    public static int RankOf(IReadOnlyList<string> vocabulary, string grade)
    {
        for (var i = 0; i < vocabulary.Count; i++)
        {
            if (string.Equals(vocabulary[i], grade, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }
        return UnknownRank;
    }
}
