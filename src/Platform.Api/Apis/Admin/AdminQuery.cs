using System.Globalization;
using Platform.Domain.Catalog.Paging;

namespace Platform.Api.Apis.Admin;

/// <summary>Query-string checks shared by the operator routes: short filters, ISO times, page sizes and id cursors.</summary>
internal static class AdminQuery
{
    public const int MaxFilterLength = 200;

    public static string? Filter(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value?.Length > MaxFilterLength)
        {
            errors[field] = [$"At most {MaxFilterLength} characters."];
        }
        else if (value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            errors[field] = ["Must not contain NUL characters."];
        }
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static DateTimeOffset? Time(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year is >= 1970 and <= 9999)
        {
            return time;
        }
        errors[field] = ["Must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."];
        return null;
    }

    public static int Limit(Dictionary<string, string[]> errors, int? value, int fallback, int max, string field = "limit")
    {
        var size = value ?? fallback;
        if (size < 1 || size > max)
        {
            errors[field] = [$"Must be between 1 and {max}."];
        }
        return size;
    }

    /// <summary>The id a signed cursor of <paramref name="scope"/> carries; false when the cursor is not one of this list.</summary>
    public static bool TryReadCursor(CursorCodec cursors, string scope, string? cursor, out long? beforeId)
    {
        beforeId = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        if (cursors.Decode(scope, cursor, 1) is [var text] && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            beforeId = id;
            return true;
        }
        return false;
    }

    public static string Cursor(CursorCodec cursors, string scope, long lastId) =>
        cursors.Encode(scope, [lastId.ToString(CultureInfo.InvariantCulture)]);

    public static ProblemHttpResult InvalidCursor() => Errors.ApiProblem.Result(ErrorCatalog.InvalidCursor,
        fieldErrors: new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor of this list and these filters."] });
}
