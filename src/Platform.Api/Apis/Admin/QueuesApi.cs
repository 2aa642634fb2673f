using System.ComponentModel;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Paging;
using Platform.Infrastructure.Operations.Queues;

namespace Platform.Api.Apis.Admin;

/// <summary>
/// The message transport for the platform operator: per-queue figures, dead letters and their replay. Queues are shared by
/// every organization, so these are <c>platform:admin</c> routes (ADR 0030).
/// </summary>
public static partial class QueuesApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxReplay = 1_000;

    public sealed record QueuesResponse(IReadOnlyList<QueueStatus> Queues);

    public sealed record DeadLetterPage(IReadOnlyList<DeadLetterEntry> Items, string? NextCursor);

    /// <summary>Either <c>ids</c> (1–1000 dead-letter ids) or <c>all: true</c>, optionally with <c>limit</c> (1–1000, default 1000).</summary>
    public sealed record ReplayRequest(IReadOnlyList<long>? Ids, bool? All, int? Limit);

    /// <summary>The dead letters put back on the queue; ids that were already replayed or not of this queue are not in it.</summary>
    public sealed record ReplayResponse(int Replayed, IReadOnlyList<long> Ids);

    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/queues").WithTags("Admin")
            .RequireAuthorization(PlatformAdminPolicy.Name).RequireRateLimiting(RateLimitPolicies.Admin);
        api.MapGet("", ListAsync).WithName("ListQueues")
            .WithSummary("Queue figures")
            .WithDescription("""
                Needs scope `platform:admin`. Per queue: `depth` (every message), `ready` (visible, waiting for a consumer),
                `inFlight` (leased by a consumer), `scheduled` (waiting for a retry or a delayed delivery),
                `oldestReadyAgeSeconds` (how long the oldest ready message has waited) and `deadLetters` (not replayed).
                """);
        api.MapGet("/{queue}/dead-letters", DeadLettersAsync).WithName("ListDeadLetters")
            .WithSummary("List a queue's dead letters")
            .WithDescription($"""
                Needs scope `platform:admin`. Newest first; bodies cut to {DeadLetters.BodyPreviewLength} characters
                (`bodyTruncated`). Replayed ones only with `includeReplayed=true`. `limit` 1–{MaxLimit} (default
                {DefaultLimit}); pass `nextCursor` as `cursor` for the next page.
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.InvalidCursor);
        api.MapPost("/{queue}/dead-letters:replay", ReplayAsync).WithName("ReplayDeadLetters")
            .WithSummary("Replay dead letters")
            .WithDescription($"""
                Needs scope `platform:admin`. Puts dead letters back on their queue with fresh attempts: `ids` (1–{MaxReplay})
                or `all: true` (the oldest first, at most `limit`, default and maximum {MaxReplay}). Each is published again
                and marked `replayedAt` in one transaction, so a dead letter is replayed once: a second replay of the same
                ids replays nothing. A replay that moved anything is audited as `dead_letters.replayed` (ids and count).
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed);
        return routes;
    }

    private static async Task<Ok<QueuesResponse>> ListAsync(QueueStatistics queues, CancellationToken cancellationToken) =>
        TypedResults.Ok(new QueuesResponse(await queues.ReadAsync(cancellationToken)));

    private static async Task<Results<Ok<DeadLetterPage>, ProblemHttpResult>> DeadLettersAsync(
        [Description("The queue, e.g. `ingest.page`.")] string queue, DeadLetters deadLetters, CursorCodec cursors,
        [Description("Also list dead letters already replayed (default false).")] bool? includeReplayed,
        [Description("Page size, 1–200 (default 50).")] int? limit,
        [Description("The previous page's `nextCursor`.")] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckQueue(errors, queue);
        var size = AdminQuery.Limit(errors, limit, DefaultLimit, MaxLimit);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var replayed = includeReplayed ?? false;
        var scope = string.Join('\n', "dead-letters", queue, replayed);
        if (!AdminQuery.TryReadCursor(cursors, scope, cursor, out var beforeId))
        {
            return AdminQuery.InvalidCursor();
        }
        var items = await deadLetters.ListAsync(queue, replayed, beforeId, size, cancellationToken);
        var next = items.Count == size ? AdminQuery.Cursor(cursors, scope, items[^1].Id) : null;
        return TypedResults.Ok(new DeadLetterPage(items, next));
    }

    private static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult>> ReplayAsync(
        [Description("The queue, e.g. `ingest.page`.")] string queue, ReplayRequest request, DeadLetters deadLetters,
        ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckQueue(errors, queue);
        var all = request.All ?? false;
        var ids = request.Ids ?? [];
        if (all == ids.Count > 0)
        {
            errors["ids"] = ["Give either 'ids' (dead-letter ids) or 'all': true, not both and not neither."];
        }
        else if (ids.Count > MaxReplay)
        {
            errors["ids"] = [$"At most {MaxReplay} ids per request."];
        }
        else if (ids.Any(id => id < 1))
        {
            errors["ids"] = ["Ids are positive numbers."];
        }
        if (request.Limit is not null && !all)
        {
            errors["limit"] = ["Only with 'all': true."];
        }
        var max = AdminQuery.Limit(errors, request.Limit, MaxReplay, MaxReplay);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var actor = $"key:{user.FindFirstValue(PlatformClaims.KeyId)}";
        var replayed = await deadLetters.ReplayAsync(queue, new ReplaySelection(all ? null : ids.Distinct().ToList(), all, all ? max : ids.Count),
            actor, ApiProblem.TraceId(context), context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return TypedResults.Ok(new ReplayResponse(replayed.Count, replayed));
    }

    private static void CheckQueue(Dictionary<string, string[]> errors, string queue)
    {
        if (!QueueName().IsMatch(queue))
        {
            errors["queue"] = ["A queue name: 1–100 of a–z, 0–9, '.', '_' and '-', e.g. ingest.page."];
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex QueueName();
}
