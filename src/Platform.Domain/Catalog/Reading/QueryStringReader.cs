using System.Globalization;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Reading;

/// <summary>
/// Reads typed values out of a query string, reporting every problem as a field error instead of throwing, so no
/// value a client sends can become a 500. Parameter names are matched case-insensitively, as ASP.NET does.
/// </summary>
public sealed class QueryStringReader
{
    public const int MaxValueLength = 200;

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string?>> _query;

    public QueryStringReader(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query, FieldErrors errors)
    {
        var values = new Dictionary<string, IReadOnlyList<string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, list) in query)
        {
            // color[]=D&color[]=E (the PHP/Rails spelling) means the same as color=D&color=E.
            var name = rawName.EndsWith("[]", StringComparison.Ordinal) ? rawName[..^2] : rawName;
            values[name] = values.TryGetValue(name, out var earlier) ? [.. earlier, .. list] : list;
        }
        _query = values;
        Errors = errors;
    }

    public FieldErrors Errors { get; }

    /// <summary>Unknown parameters are refused: a misspelt filter ("colour") would otherwise silently match everything.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var name in _query.Keys.Where(name => !known.Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            Errors.Add(Truncate(name), $"Unknown parameter. Known parameters: {string.Join(", ", known)}.");
        }
    }

    /// <summary>The one value of a parameter, null when absent or empty; a repeated parameter is an error.</summary>
    public string? Text(string name, int maxLength = MaxValueLength)
    {
        if (!_query.TryGetValue(name, out var values) || values.All(string.IsNullOrWhiteSpace))
        {
            return null;
        }
        if (values.Count > 1)
        {
            Errors.Add(name, "Give this parameter once.");
            return null;
        }
        var value = values[0]!.Trim();
        if (value.Length > maxLength)
        {
            Errors.Add(name, $"At most {maxLength} characters.");
            return null;
        }
        return value;
    }

    /// <summary>
    /// Codes from <paramref name="vocabulary"/>, given repeated (<c>color=D&amp;color=E</c>) and/or comma-separated
    /// (<c>color=D,E</c>); matched case-insensitively, returned in the vocabulary's spelling, de-duplicated and sorted.
    /// </summary>
    public IReadOnlyList<string> Codes(string name, IReadOnlyList<string> vocabulary, int maxCount)
    {
        if (!_query.TryGetValue(name, out var raw))
        {
            return [];
        }
        var items = raw.SelectMany(value => (value ?? "").Split(',')).Select(item => item.Trim()).Where(item => item.Length > 0).ToList();
        if (items.Count > maxCount)
        {
            Errors.Add(name, $"At most {maxCount} values.");
            return [];
        }
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (vocabulary.FirstOrDefault(code => string.Equals(code, item, StringComparison.OrdinalIgnoreCase)) is { } code)
            {
                codes.Add(code);
            }
            else
            {
                Errors.Add(name, $"Unknown value '{Truncate(item)}'. Allowed: {string.Join(", ", vocabulary)}.");
            }
        }
        return [.. codes];
    }

    public decimal? Number(string name, decimal min, decimal max)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Errors.Add(name, "Must be a number, e.g. 1.5.");
            return null;
        }
        if (value < min || value > max)
        {
            Errors.Add(name, $"Must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }
        return value;
    }

    public int? WholeNumber(string name, int min, int max)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Errors.Add(name, $"Must be a whole number between {min} and {max}.");
            return null;
        }
        return value;
    }

    public bool? Bool(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (!bool.TryParse(text, out var value))
        {
            Errors.Add(name, "Must be true or false.");
            return null;
        }
        return value;
    }

    public Guid? Uuid(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (!Guid.TryParseExact(text, "D", out var value))
        {
            Errors.Add(name, "Must be a UUID, e.g. 0197a3c0-1b2a-7e55-8d3c-7f6a5b4c3d21.");
            return null;
        }
        return value;
    }

    /// <summary>An ISO 8601 date-time with an offset (e.g. <c>2025-06-01T00:00:00Z</c>); a local time would be ambiguous.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        if (!DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            || !(text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal)))
        {
            Errors.Add(name, "Must be an ISO 8601 date-time with an offset, e.g. 2025-06-01T00:00:00Z.");
            return null;
        }
        return value.ToUniversalTime();
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), in its listed spelling.</summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (allowed.FirstOrDefault(option => string.Equals(option, text, StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return match;
        }
        Errors.Add(name, $"Must be one of: {string.Join(", ", allowed)}.");
        return null;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
