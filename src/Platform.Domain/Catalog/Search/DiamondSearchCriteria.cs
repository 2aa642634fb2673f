using System.Globalization;
using System.Text;

namespace Platform.Domain.Catalog.Search;

/// <summary>
/// A validated catalog search. Lists are upper-case codes (availability lower-case), de-duplicated and sorted, so
/// two requests that select the same stones have the same <see cref="Fingerprint"/>.
/// </summary>
public sealed record DiamondSearchCriteria
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public IReadOnlyList<string> Shapes { get; init; } = [];
    public IReadOnlyList<string> Colors { get; init; } = [];
    public IReadOnlyList<string> Clarities { get; init; } = [];
    public IReadOnlyList<string> Cuts { get; init; } = [];
    public IReadOnlyList<string> Polishes { get; init; } = [];
    public IReadOnlyList<string> Symmetries { get; init; } = [];
    public IReadOnlyList<string> Fluorescences { get; init; } = [];
    public IReadOnlyList<string> Availabilities { get; init; } = [];
    public decimal? CaratMin { get; init; }
    public decimal? CaratMax { get; init; }

    /// <summary>On the retail price.</summary>
    public decimal? PriceMin { get; init; }

    public decimal? PriceMax { get; init; }
    public bool? LabGrown { get; init; }
    public Guid? FeedId { get; init; }
    public DiamondSort Sort { get; init; } = DiamondSort.CreatedAt;
    public bool Descending { get; init; } = true;
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The client's cursor, still unverified (see <see cref="Paging.DiamondCursor"/>).</summary>
    public string? Cursor { get; init; }

    /// <summary>
    /// Canonical text of everything that decides which stones come in which order: filters and sort, not the limit
    /// (a client may change the page size between pages) and not the cursor. A cursor is signed over it.
    /// </summary>
    public string Fingerprint()
    {
        var text = new StringBuilder("diamonds/v1");
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                text.Append('|').Append(name).Append('=').Append(value);
            }
        }
        void AddList(string name, IReadOnlyList<string> values) => Add(name, values.Count == 0 ? null : string.Join(',', values));

        AddList("shape", Shapes);
        AddList("color", Colors);
        AddList("clarity", Clarities);
        AddList("cut", Cuts);
        AddList("polish", Polishes);
        AddList("symmetry", Symmetries);
        AddList("fluorescence", Fluorescences);
        AddList("availability", Availabilities);
        Add("caratMin", Canonical(CaratMin));
        Add("caratMax", Canonical(CaratMax));
        Add("priceMin", Canonical(PriceMin));
        Add("priceMax", Canonical(PriceMax));
        Add("labGrown", LabGrown?.ToString(CultureInfo.InvariantCulture));
        Add("feedId", FeedId?.ToString("N"));
        Add("sort", DiamondSorts.NameOf(Sort));
        Add("order", Descending ? "desc" : "asc");
        return text.ToString();
    }

    /// <summary>1, 1.0 and 1.00 select the same stones, so they print alike.</summary>
    private static string? Canonical(decimal? value) => value?.ToString("0.############################", CultureInfo.InvariantCulture);
}
