namespace Platform.FeedSimulator.Search;

/// <summary>Turns query text into a <see cref="StoneFilter"/> or a message naming the bad parameter.</summary>
internal static class StoneFilterParser
{
    private const decimal MaxPriceDollars = 1_000_000_000m;

    public static bool TryParse(DiamondQuery query, out StoneFilter filter, out string? error)
    {
        filter = StoneFilter.Everything;
        if (!TryParsePrice(query.PriceFrom, "priceFrom", out var priceFrom, out error)
            || !TryParsePrice(query.PriceTo, "priceTo", out var priceTo, out error)
            || !TryParseInstant(query.UpdatedFrom, "updatedFrom", out var updatedFrom, out error)
            || !TryParseInstant(query.UpdatedTo, "updatedTo", out var updatedTo, out error)
            || !TryParseBoolean(query.LabGrown, "labGrown", out var labGrown, out error))
        {
            return false;
        }
        filter = new StoneFilter(
            priceFrom ?? long.MinValue,
            priceTo ?? long.MaxValue,
            updatedFrom ?? long.MinValue,
            updatedTo ?? long.MaxValue,
            labGrown);
        return true;
    }

    /// <summary>
    /// Cents are whole numbers, so "price ≥ x" is "cents ≥ ceil(100x)" and "price &lt; x" is
    /// "cents &lt; ceil(100x)": both bounds become the same integer conversion.
    /// </summary>
    private static bool TryParsePrice(string? text, string name, out long? cents, out string? error)
    {
        cents = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var dollars)
            || dollars < 0 || dollars > MaxPriceDollars)
        {
            error = $"{name} must be a number of dollars between 0 and {MaxPriceDollars} (was '{text}').";
            return false;
        }
        cents = (long)decimal.Ceiling(dollars * 100);
        return true;
    }

    private static bool TryParseInstant(string? text, string name, out long? ticks, out string? error)
    {
        ticks = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            error = $"{name} must be an ISO-8601 timestamp such as 2025-06-01T00:00:00Z (was '{text}').";
            return false;
        }
        ticks = instant.UtcTicks;
        return true;
    }

    private static bool TryParseBoolean(string? text, string name, out bool? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!bool.TryParse(text, out var parsed))
        {
            error = $"{name} must be true or false (was '{text}').";
            return false;
        }
        value = parsed;
        return true;
    }
}
