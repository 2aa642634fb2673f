namespace Platform.FeedSimulator.Search;

/// <summary>Validates offset and limit against the configured page size.</summary>
internal static class PageRequestParser
{
    public static bool TryParse(DiamondQuery query, int defaultLimit, int maxLimit, out int offset, out int limit, out string? error)
    {
        offset = 0;
        limit = defaultLimit;
        error = null;
        if (!string.IsNullOrEmpty(query.Offset)
            && (!int.TryParse(query.Offset, NumberStyles.Integer, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            error = $"offset must be a whole number ≥ 0 (was '{query.Offset}').";
            return false;
        }
        if (!string.IsNullOrEmpty(query.Limit)
            && (!int.TryParse(query.Limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            error = $"limit must be between 1 and {maxLimit} (was '{query.Limit}').";
            return false;
        }
        return true;
    }
}
