using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Search;

/// <summary>
/// Reads the search's filters from a query string that also has parameters of its own (exports, analytics). The own
/// parameters are set aside for the caller; search parameters that mean nothing there (paging, sorting) are refused
/// rather than ignored, so a client never believes they applied.
/// </summary>
public sealed class SearchFilterQuery
{
    private readonly List<KeyValuePair<string, IReadOnlyList<string?>>> _own;

    private SearchFilterQuery(List<KeyValuePair<string, IReadOnlyList<string?>>> own, DiamondSearchCriteria criteria)
    {
        _own = own;
        Criteria = criteria;
    }

    public DiamondSearchCriteria Criteria { get; }

    /// <summary>The caller's own parameters, to read with a <see cref="Reading.QueryStringReader"/>.</summary>
    public IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> Own => _own;

    public static SearchFilterQuery Parse(
        IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query, IReadOnlyCollection<string> own,
        IReadOnlyCollection<string> refused, string reason, FieldErrors errors)
    {
        bool In(KeyValuePair<string, IReadOnlyList<string?>> pair, IReadOnlyCollection<string> names) =>
            names.Contains(pair.Key.EndsWith("[]", StringComparison.Ordinal) ? pair.Key[..^2] : pair.Key, StringComparer.OrdinalIgnoreCase);

        var pairs = query.ToList();
        foreach (var name in refused.Where(name => pairs.Any(pair => In(pair, [name]))))
        {
            errors.Add(name, reason);
        }
        var (criteria, searchErrors) = DiamondSearchParser.Parse(pairs.Where(pair => !In(pair, own) && !In(pair, refused)));
        foreach (var (field, messages) in searchErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }
        return new SearchFilterQuery([.. pairs.Where(pair => In(pair, own))], criteria);
    }
}
