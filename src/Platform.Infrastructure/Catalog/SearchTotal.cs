using System.Text.Json;

namespace Platform.Infrastructure.Catalog;

/// <summary>
/// A search's total: exact up to <see cref="DiamondSearchSql.ExactTotalLimit"/>, the planner's estimate beyond.
/// The capped count reads up to 10 001 index entries and was four fifths of the database time of the search
/// benchmark's first pages, so it runs only when nothing cheaper settles the answer (ADR 0020):
/// <list type="bullet">
/// <item>a first page that holds every match is its own exact total;</item>
/// <item>an estimate of at least <see cref="EstimateTrustedFrom"/> (four times the exact limit) is taken as "beyond the
/// limit": the planner would have to overestimate the filters fourfold for the true count to be under 10 001;</item>
/// <item>otherwise the capped count decides.</item>
/// </list>
/// </summary>
public readonly record struct SearchTotal(long Count, bool IsEstimate)
{
    public const long EstimateTrustedFrom = 4L * DiamondSearchSql.ExactTotalLimit;

    /// <summary>The total when the page and the estimate settle it; null when the capped count has to decide.</summary>
    public static SearchTotal? WithoutCounting(bool firstPage, int rowsRead, int limit, long planned) =>
        firstPage && rowsRead <= limit ? new SearchTotal(rowsRead, false)
        : planned >= EstimateTrustedFrom ? new SearchTotal(planned, true)
        : null;

    /// <summary>The total from the capped count: exact up to the limit, else the larger of count and estimate.</summary>
    public static SearchTotal FromCount(long cappedCount, long planned) =>
        cappedCount <= DiamondSearchSql.ExactTotalLimit ? new SearchTotal(cappedCount, false) : new SearchTotal(Math.Max(cappedCount, planned), true);

    /// <summary>The planner's row estimate of the filtered scan (statistics from ANALYZE/autovacuum), from EXPLAIN's JSON.</summary>
    public static long PlannedRows(string? plan)
    {
        if (plan is null)
        {
            return 0;
        }
        using var document = JsonDocument.Parse(plan);
        return document.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").TryGetDouble(out var rows) ? (long)rows : 0;
    }
}
