using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Paging;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis.AuditLog;

/// <summary>The organization's audit log (PLATFORM §7): who changed what, filtered and keyset-paged. Scope <c>admin</c>.</summary>
public static class AuditLogApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    public const int MaxFilterLength = 200;

    public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapAuditLogApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/audit-log", ListAsync).WithName("ListAuditLog").WithTags("Audit log")
            .RequireAuthorization(AuthenticationSetup.Admin)
            .RequireRateLimiting(RateLimitPolicies.Admin)
            .WithSummary("List audit entries")
            .WithDescription("""
                Needs scope `admin`. The organization's entries, newest first. Filters (all optional, combined): `action`
                (e.g. `api_key.revoked`), `targetType` (e.g. `api_key`), `actor` (e.g. `key:<id>`), `from` (inclusive) and
                `to` (exclusive) as ISO 8601 times. Pass `nextCursor` as `cursor` with the same filters for the next page
                (`null` on the last).
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.InvalidCursor);
        return routes;
    }

    private static async Task<Results<Ok<AuditLogPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, AuditLogQueries queries, CursorCodec cursors,
        [Description("Only entries with this action, e.g. `api_key.created`.")] string? action,
        [Description("Only entries about this type of target, e.g. `api_key` or `pricing_rule`.")] string? targetType,
        [Description("Only entries by this actor, e.g. `key:<id>`.")] string? actor,
        [Description("Entries at or after this time (ISO 8601).")] string? from,
        [Description("Entries before this time (ISO 8601).")] string? to,
        [Description("Page size, 1–100 (default 50).")] int? limit,
        [Description("The previous page's `nextCursor`.")] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckLength(errors, "action", action);
        CheckLength(errors, "targetType", targetType);
        CheckLength(errors, "actor", actor);
        var fromTime = ParseTime(errors, "from", from);
        var toTime = ParseTime(errors, "to", to);
        if (fromTime > toTime)
        {
            errors["to"] = ["Must not be before 'from'."];
        }
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }

        var orgId = user.OrgId();
        var filter = new AuditLogFilter(Blank(action), Blank(targetType), Blank(actor), fromTime, toTime);
        // The cursor is signed for this organization and these filters, so it cannot be replayed elsewhere (ADR 0020).
        var scope = string.Join('\n', "audit-log", orgId, filter.Action, filter.TargetType, filter.Actor, from, to);
        AuditLogPosition? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            after = cursors.Decode(scope, cursor, 2) is [var ticks, var id]
                && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                && t is >= 0 and <= 3_155_378_975_999_999_999
                    ? new AuditLogPosition(new DateTimeOffset(t, TimeSpan.Zero), i)
                    : null;
            if (after is null)
            {
                return ApiProblem.Result(ErrorCatalog.InvalidCursor, fieldErrors: new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor of this list and these filters."] });
            }
        }

        var items = await queries.ListAsync(orgId, filter, after, size, cancellationToken);
        var next = items.Count == size
            ? cursors.Encode(scope, [items[^1].CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), items[^1].Id.ToString(CultureInfo.InvariantCulture)])
            : null;
        return TypedResults.Ok(new AuditLogPage(items, next));
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void CheckLength(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value?.Length > MaxFilterLength)
        {
            errors[field] = [$"At most {MaxFilterLength} characters."];
        }
        else if (value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            errors[field] = ["Must not contain NUL characters."];
        }
    }

    private static DateTimeOffset? ParseTime(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            && time.Year is >= 1970 and <= 9999)
        {
            return time;
        }
        errors[field] = ["Must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."];
        return null;
    }
}
