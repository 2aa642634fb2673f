using Platform.Domain.Catalog;
using Platform.Domain.Catalog.Paging;
using Platform.Domain.Catalog.Search;

namespace Platform.Infrastructure.Catalog;

/// <summary>
/// The SQL of one catalog search. Only filters the client sent become predicates (an <c>@x IS NULL OR …</c> chain
/// would hide the selective ones from the planner); every value is a parameter and the sort expression comes from
/// an allow-list, so no client text reaches the SQL. Each sort expression has a matching index (migration 0013).
/// </summary>
public sealed class DiamondSearchSql
{
    /// <summary>Totals are counted exactly up to this; beyond it the planner's estimate is reported.</summary>
    public const int ExactTotalLimit = 10_000;

    private DiamondSearchSql(string where, PageFilter pageFilter, string keyExpression, bool descending, DynamicParameters parameters, bool hasPosition, int limit)
    {
        Where = where;
        Parameters = parameters;
        var direction = descending ? "DESC" : "ASC";
        var pageWhere = string.Join(" AND ", pageFilter.Predicates);
        // With the key pinned to one value, (key, id) > (@afterKey, @afterId) is id > @afterId: an index range the
        // planner reads in order, where the row comparison made it sort a bitmap scan.
        var seek = !hasPosition ? ""
            : pageFilter.KeyIsFixed ? $" AND d.id {(descending ? "<" : ">")} @afterId"
            : $" AND ({keyExpression}, d.id) {(descending ? "<" : ">")} (@afterKey, @afterId)";
        Page = $"""
            SELECT {DiamondView.Columns}, {keyExpression} AS sort_key
            FROM diamonds d
            WHERE {pageWhere}{seek}
            ORDER BY {keyExpression} {direction}, d.id {direction}
            LIMIT {limit + 1}
            """;
        All = $"""
            SELECT {DiamondView.Columns}
            FROM diamonds d
            WHERE {where}
            ORDER BY {keyExpression} {direction}, d.id {direction}
            """;
    }

    /// <summary>Every matching stone in sort order, for streamed exports (read row by row, never buffered).</summary>
    public string All { get; }

    /// <summary>The page query: <c>limit + 1</c> rows, the extra one only tells that a next page exists.</summary>
    public string Page { get; }

    /// <summary>The filters alone (no position), shared by the page, the capped count and the estimate.</summary>
    public string Where { get; }

    public string CappedCount => $"SELECT count(*) FROM (SELECT 1 FROM diamonds d WHERE {Where} LIMIT {ExactTotalLimit + 1}) AS capped";

    public string Estimate => $"EXPLAIN (FORMAT JSON) SELECT 1 FROM diamonds d WHERE {Where}";

    public DynamicParameters Parameters { get; }

    public static DiamondSearchSql For(Guid orgId, DiamondSearchCriteria criteria, DiamondPosition? after)
    {
        var parameters = new DynamicParameters();
        parameters.Add("orgId", orgId);
        var where = new List<string> { "d.org_id = @orgId", "d.status = 'active'" };
        string? Any(string column, string name, IReadOnlyList<string> values)
        {
            if (values.Count == 1)
            {
                // Equality rather than = ANY: it keeps the (org_id, shape, retail_price, id) index usable for ordered scans.
                where.Add($"d.{column} = @{name}");
                parameters.Add(name, values[0]);
            }
            else if (values.Count > 1)
            {
                where.Add($"d.{column} = ANY(@{name})");
                parameters.Add(name, values.ToArray());
            }
            return values.Count > 0 ? where[^1] : null;
        }
        void Compare(string column, string op, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"d.{column} {op} @{name}");
                parameters.Add(name, value);
            }
        }

        Any("shape", "shapes", criteria.Shapes);
        var colorFilter = Any("color", "colors", criteria.Colors);
        var clarityFilter = Any("clarity", "clarities", criteria.Clarities);
        Any("cut", "cuts", criteria.Cuts);
        Any("polish", "polishes", criteria.Polishes);
        Any("symmetry", "symmetries", criteria.Symmetries);
        Any("fluorescence", "fluorescences", criteria.Fluorescences);
        Any("availability", "availabilities", criteria.Availabilities);
        Compare("carats", ">=", "caratMin", criteria.CaratMin);
        Compare("carats", "<=", "caratMax", criteria.CaratMax);
        Compare("retail_price", ">=", "priceMin", criteria.PriceMin);
        Compare("retail_price", "<=", "priceMax", criteria.PriceMax);
        Compare("lab_grown", "=", "labGrown", criteria.LabGrown);
        Compare("feed_id", "=", "feedId", criteria.FeedId);

        if (after is not null)
        {
            parameters.Add("afterKey", after.Key);
            parameters.Add("afterId", after.Id);
        }
        return new DiamondSearchSql(string.Join(" AND ", where), PageFilters(where, criteria, colorFilter, clarityFilter), KeyExpression(criteria.Sort),
            criteria.Descending, parameters, after is not null, criteria.Limit);
    }

    /// <summary>
    /// The page's filters. A grade sort with a filter on that grade states the filter as a range of ranks too: the
    /// planner does not know that <c>color = 'G'</c> fixes <c>catalog_color_rank(color)</c>, so it walked the rank
    /// index from D and filtered out every better stone first (1.7 s at 500 000 stones). The bounds are literals, so
    /// the planner estimates them from the rank index's statistics. When the selected grades are contiguous the range
    /// says exactly what the filter says and replaces it (with both, the planner counts the grade's selectivity twice
    /// and sorts a bitmap scan instead of reading the range in order); otherwise (D and F) the filter stays. The
    /// count and the estimate keep the plain filter.
    /// </summary>
    private static PageFilter PageFilters(List<string> where, DiamondSearchCriteria criteria, string? colorFilter, string? clarityFilter)
    {
        var (filter, vocabulary, selected, rank) = criteria.Sort switch
        {
            DiamondSort.Color when colorFilter is not null => (colorFilter, DiamondGrades.Colors, criteria.Colors, "catalog_color_rank(d.color)"),
            DiamondSort.Clarity when clarityFilter is not null => (clarityFilter, DiamondGrades.Clarities, criteria.Clarities, "catalog_clarity_rank(d.clarity)"),
            _ => (null, [], [], ""),
        };
        if (filter is null)
        {
            return new PageFilter(where, KeyIsFixed: false);
        }
        var ranks = selected.Select(grade => DiamondGrades.RankOf(vocabulary, grade)).Distinct().ToList();
        var (low, high) = (ranks.Min(), ranks.Max());
        var contiguous = high < DiamondGrades.UnknownRank && high - low + 1 == ranks.Count;
        return new PageFilter([.. where.Where(predicate => !(contiguous && predicate == filter)), $"{rank} BETWEEN {low} AND {high}"], KeyIsFixed: low == high);
    }

    /// <summary>The page query's predicates, and whether they leave the sort key a single value.</summary>
    private sealed record PageFilter(IReadOnlyList<string> Predicates, bool KeyIsFixed);

    /// <summary>The allow-list of sort expressions; each is non-null, so a row comparison on (key, id) is a total order.</summary>
    private static string KeyExpression(DiamondSort sort) => sort switch
    {
        DiamondSort.Price => "d.retail_price",
        DiamondSort.Carats => "d.carats",
        DiamondSort.Color => "catalog_color_rank(d.color)",
        DiamondSort.Clarity => "catalog_clarity_rank(d.clarity)",
        _ => "d.created_at",
    };
}
