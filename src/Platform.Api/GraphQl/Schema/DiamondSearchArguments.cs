using System.Globalization;
using GraphQL;
using Platform.Domain.Catalog.Search;

namespace Platform.Api.GraphQl.Schema;

/// <summary>
/// Turns <c>diamonds(where, order, first, after)</c> into REST's query-string parameters, so that GraphQL and REST share
/// one validation (DiamondSearchParser) and one cursor scope. Field errors are renamed to the GraphQL argument names.
/// </summary>
public static class DiamondSearchArguments
{
    private static readonly Dictionary<string, string> ArgumentNames = new()
    {
        ["limit"] = "first", ["cursor"] = "after", ["sort"] = "order.field", ["order"] = "order.direction",
    };

    public static DiamondSearchCriteria Parse(IResolveFieldContext context)
    {
        var values = new Dictionary<string, IReadOnlyList<string?>>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                values[name] = [Convert.ToString(value, CultureInfo.InvariantCulture)];
            }
        }

        if (context.GetArgument<Dictionary<string, object?>?>("where") is { } where)
        {
            foreach (var (name, value) in where)
            {
                if (value is IEnumerable<object?> list)
                {
                    values[name] = [.. list.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture))];
                }
                else if (value is bool flag)
                {
                    Add(name, flag ? "true" : "false");
                }
                else
                {
                    Add(name, value);
                }
            }
        }
        if (context.GetArgument<Dictionary<string, object?>?>("order") is { } order)
        {
            Add("sort", order.GetValueOrDefault("field") is DiamondOrderField field ? SortName(field) : null);
            Add("order", order.GetValueOrDefault("direction") is SortDirection direction ? (direction == SortDirection.Desc ? "desc" : "asc") : null);
        }
        Add("limit", context.GetArgument<int?>("first"));
        Add("cursor", context.GetArgument<string?>("after"));

        var (criteria, errors) = DiamondSearchParser.Parse(values);
        if (!errors.IsEmpty)
        {
            throw GraphQlErrors.Validation(errors.ToDictionary().ToDictionary(
                pair => ArgumentNames.GetValueOrDefault(pair.Key, "where." + pair.Key), pair => pair.Value));
        }
        return criteria;
    }

    private static string SortName(DiamondOrderField field) => field switch
    {
        DiamondOrderField.Price => DiamondSorts.NameOf(DiamondSort.Price),
        DiamondOrderField.Carats => DiamondSorts.NameOf(DiamondSort.Carats),
        DiamondOrderField.Color => DiamondSorts.NameOf(DiamondSort.Color),
        DiamondOrderField.Clarity => DiamondSorts.NameOf(DiamondSort.Clarity),
        _ => DiamondSorts.NameOf(DiamondSort.CreatedAt),
    };
}
