using System.ComponentModel;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Paging;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Api.Apis.Admin;

/// <summary>
/// The error log (<c>error_log</c>, ADR 0030): failures of every role, for the platform operator only — messages can name
/// hosts, suppliers and other organizations, so tenants see their own failures through runs and problem responses instead.
/// </summary>
public static class ErrorLogApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int DefaultTrendHours = 24;
    public const int MaxTrendHours = 7 * 24;
    public const int DefaultFingerprints = 20;
    public const int MaxFingerprints = 100;

    public sealed record ErrorLogPage(IReadOnlyList<ErrorLogEntry> Items, string? NextCursor);

    /// <summary>One fingerprint's hourly counts within the window (hours without errors are left out).</summary>
    public sealed record ErrorTrend(string Fingerprint, string Service, string Category, string Code, string SampleMessage, long Total,
        IReadOnlyList<HourCount> Hours);

    public sealed record HourCount(DateTimeOffset Hour, long Count);

    public sealed record ErrorTrends(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ErrorTrend> Fingerprints);

    public static IEndpointRouteBuilder MapErrorLogApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/errors").WithTags("Admin")
            .RequireAuthorization(PlatformAdminPolicy.Name).RequireRateLimiting(RateLimitPolicies.Admin);
        api.MapGet("", ListAsync).WithName("ListErrors")
            .WithSummary("List recorded errors")
            .WithDescription($"""
                Needs scope `platform:admin`. Failures of every service (api 5xx, page, consolidation, scan, scheduler,
                upstream, maintenance), newest first. Filters (optional, combined): `service`, `category`, `code`, `from`
                (inclusive) and `to` (exclusive) as ISO 8601 times. `limit` 1–{MaxLimit} (default {DefaultLimit}); pass
                `nextCursor` as `cursor` with the same filters for the next page (`null` on the last). Rows are kept
                `ErrorLog:RetentionDays` (30).
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.InvalidCursor);
        api.MapGet("/trends", TrendsAsync).WithName("GetErrorTrends")
            .WithSummary("Error counts by fingerprint and hour")
            .WithDescription($"""
                Needs scope `platform:admin`. The most frequent fingerprints (same service, category, code and message
                apart from numbers and ids) within [`from`, `to`), each with its total and counts per UTC hour. Default
                window: the last {DefaultTrendHours} hours; at most {MaxTrendHours} hours. `limit`: fingerprints,
                1–{MaxFingerprints} (default {DefaultFingerprints}). Filters `service`, `category`, `code` as for the list.
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed);
        return routes;
    }

    private static async Task<Results<Ok<ErrorLogPage>, ProblemHttpResult>> ListAsync(
        ErrorLogQueries queries, CursorCodec cursors,
        [Description("Only errors of this service, e.g. `api` or `worker`.")] string? service,
        [Description("Only errors of this category, e.g. `page`, `upstream`, `api`.")] string? category,
        [Description("Only errors with this code, e.g. `PAGE_FETCH_FAILED`.")] string? code,
        [Description("Errors at or after this time (ISO 8601).")] string? from,
        [Description("Errors before this time (ISO 8601).")] string? to,
        [Description("Page size, 1–200 (default 50).")] int? limit,
        [Description("The previous page's `nextCursor`.")] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = ReadFilter(errors, service, category, code, from, to);
        var size = AdminQuery.Limit(errors, limit, DefaultLimit, MaxLimit);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        // Signed for these filters, so a cursor cannot be carried to another filter set (ADR 0020).
        var scope = string.Join('\n', "error-log", filter.Service, filter.Category, filter.Code, from, to);
        if (!AdminQuery.TryReadCursor(cursors, scope, cursor, out var beforeId))
        {
            return AdminQuery.InvalidCursor();
        }
        var items = await queries.ListAsync(filter, beforeId, size, cancellationToken);
        var next = items.Count == size ? AdminQuery.Cursor(cursors, scope, items[^1].Id) : null;
        return TypedResults.Ok(new ErrorLogPage(items, next));
    }

    private static async Task<Results<Ok<ErrorTrends>, ProblemHttpResult>> TrendsAsync(
        ErrorLogQueries queries, TimeProvider time,
        [Description("Only errors of this service.")] string? service,
        [Description("Only errors of this category.")] string? category,
        [Description("Only errors with this code.")] string? code,
        [Description("Window start (ISO 8601, inclusive); default `to` minus 24 hours.")] string? from,
        [Description("Window end (ISO 8601, exclusive); default now.")] string? to,
        [Description("Fingerprints to return, 1–100 (default 20), the most frequent first.")] int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = ReadFilter(errors, service, category, code, from, to);
        var count = AdminQuery.Limit(errors, limit, DefaultFingerprints, MaxFingerprints);
        var end = filter.To ?? time.GetUtcNow();
        var start = filter.From ?? end.AddHours(-DefaultTrendHours);
        if (errors.Count == 0 && (end - start).TotalHours > MaxTrendHours)
        {
            errors["from"] = [$"The window from 'from' to 'to' may span at most {MaxTrendHours} hours."];
        }
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var (fingerprints, buckets) = await queries.TrendsAsync(filter with { From = start, To = end }, count, cancellationToken);
        var hours = buckets.ToLookup(b => b.Fingerprint);
        var trends = fingerprints.Select(f => new ErrorTrend(f.Fingerprint, f.Service, f.Category, f.Code, f.SampleMessage, f.Count,
            hours[f.Fingerprint].Select(b => new HourCount(b.Hour, b.Count)).ToList())).ToList();
        return TypedResults.Ok(new ErrorTrends(start, end, trends));
    }

    private static ErrorLogFilter ReadFilter(Dictionary<string, string[]> errors, string? service, string? category, string? code, string? from, string? to)
    {
        var filter = new ErrorLogFilter(
            AdminQuery.Filter(errors, "service", service), AdminQuery.Filter(errors, "category", category), AdminQuery.Filter(errors, "code", code),
            AdminQuery.Time(errors, "from", from), AdminQuery.Time(errors, "to", to));
        if (filter.From > filter.To)
        {
            errors["to"] = ["Must not be before 'from'."];
        }
        return filter;
    }
}
