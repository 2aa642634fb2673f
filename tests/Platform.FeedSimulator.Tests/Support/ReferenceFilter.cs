namespace Platform.FeedSimulator.Tests.Support;

/// <summary>
/// The filter semantics written out naively over whole stones: price in [priceFrom, priceTo),
/// updatedAt in [updatedFrom, updatedTo], labGrown equal. The simulator's answers must agree.
/// </summary>
internal static class ReferenceFilter
{
    public static List<Stone> Apply(IEnumerable<Stone> stones, string query)
    {
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));
        decimal? priceFrom = parameters.TryGetValue("priceFrom", out var a) ? decimal.Parse(a, CultureInfo.InvariantCulture) : null;
        decimal? priceTo = parameters.TryGetValue("priceTo", out var b) ? decimal.Parse(b, CultureInfo.InvariantCulture) : null;
        DateTime? updatedFrom = parameters.TryGetValue("updatedFrom", out var c) ? ParseInstant(c) : null;
        DateTime? updatedTo = parameters.TryGetValue("updatedTo", out var d) ? ParseInstant(d) : null;
        bool? labGrown = parameters.TryGetValue("labGrown", out var e) ? bool.Parse(e) : null;

        return [.. stones
            .Where(stone => (priceFrom is null || stone.Price >= priceFrom)
                && (priceTo is null || stone.Price < priceTo)
                && (updatedFrom is null || stone.UpdatedAt >= updatedFrom)
                && (updatedTo is null || stone.UpdatedAt <= updatedTo)
                && (labGrown is null || stone.LabGrown == labGrown))
            .OrderBy(stone => stone.CreatedAt)];
    }

    private static DateTime ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime;
}
