using System.ComponentModel;
using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Infrastructure.Feeds.Management;
using Platform.Infrastructure.Security.Egress;

namespace Platform.Api.Apis.Feeds;

/// <summary>
/// An organization's supplier feeds (PLATFORM §6, pipeline). Credentials are write-only: stored encrypted, shown only
/// as <c>hasCredentials</c>. Creation is bounded by the plan's <c>maxFeeds</c>, checked atomically in the store.
/// </summary>
public static class FeedsApi
{
    /// <summary>Body of POST (every field but <c>name</c>, <c>adapter</c> and <c>config</c> optional) and of PATCH (every field optional; omitted = unchanged).</summary>
    public sealed record FeedRequest(
        [property: Description("1–200 characters, unique within the organization.")] string? Name,
        [property: Description("The adapter kind: `simulator` or `nivoda-graphql`. Fixed after creation.")] string? Adapter,
        [property: Description("The adapter's settings as a JSON object (simulator: `baseUrl`; nivoda-graphql: `endpoint`, `username`). No secrets: they go in `credentials`.")] System.Text.Json.JsonElement? Config,
        [property: Description("A 5-field cron expression (UTC) for scheduled runs; empty string to remove the schedule.")] string? ScheduleCron,
        bool? Enabled,
        [property: Description("Stones per upstream page, 1–50 (default 30).")] int? PageSize,
        [property: Description("Upstream requests per second across all workers, 0.1–50 (default 2).")] decimal? UpstreamRps,
        [property: Description("Write-only supplier secret (e.g. the nivoda-graphql password), up to 4 096 characters; empty string removes it. Never returned.")] string? Credentials);

    public sealed record FeedList(IReadOnlyList<FeedRecord> Items);

    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/feeds").WithTags("Feeds").RateLimitedByMethod();
        api.MapGet("", ListAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ListFeeds")
            .WithSummary("List feeds").WithDescription($"Needs scope `pipeline:admin`. Oldest first, at most {FeedRepository.MaxListed}. Credentials appear only as `hasCredentials`.");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("GetFeed")
            .WithSummary("Get a feed").WithDescription("Needs scope `pipeline:admin`. Credentials appear only as `hasCredentials`.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPost("", CreateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("CreateFeed")
            .WithSummary("Create a feed")
            .WithDescription("Needs scope `pipeline:admin`. `config` is checked by the adapter it names, and its URLs by the SSRF guard (400 `URL_NOT_ALLOWED`: public https hosts only); `credentials` are encrypted at rest and never returned. "
                + "Refused with 409 `FEED_LIMIT_REACHED` when the organization has its plan's `maxFeeds` feeds (disabled ones count). Audited as `feed.created` (without secrets).")
            .ProducesErrors(ErrorCatalog.FeedLimitReached, ErrorCatalog.FeedNameTaken, ErrorCatalog.UrlNotAllowed);
        api.MapPatch("/{id:guid}", UpdateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("UpdateFeed")
            .WithSummary("Change a feed")
            .WithDescription("Needs scope `pipeline:admin`. Only the fields sent change; `adapter` cannot change. `credentials: \"\"` removes the stored secret. Audited as `feed.updated` (without secrets).")
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.FeedNameTaken, ErrorCatalog.UrlNotAllowed);
        return routes;
    }

    private static async Task<Ok<FeedList>> ListAsync(ClaimsPrincipal user, FeedRepository feeds, CancellationToken cancellationToken) =>
        TypedResults.Ok(new FeedList(await feeds.ListAsync(user.OrgId(), cancellationToken)));

    private static async Task<Results<Ok<FeedRecord>, ProblemHttpResult>> GetAsync(
        [Description("The feed's id.")] Guid id, ClaimsPrincipal user, FeedRepository feeds, CancellationToken cancellationToken) =>
        await feeds.FindAsync(user.OrgId(), id, cancellationToken) is { } feed ? TypedResults.Ok(feed) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Created<FeedRecord>, ProblemHttpResult>> CreateAsync(
        FeedRequest request, ClaimsPrincipal user, HttpContext context, FeedRepository feeds, FeedValidation validation, EgressGuard egress,
        CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var (changes, errors) = validation.Validate(id, request, current: null);
        if (changes is null)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        if (await EgressChecks.FeedConfigAsync(egress, request.Config, cancellationToken) is { } refused)
        {
            return refused;
        }
        var result = await feeds.CreateAsync(user.OrgId(), id, changes, Actor(user, context), cancellationToken);
        return result.Outcome == FeedWriteOutcome.Done ? TypedResults.Created($"/api/v1/feeds/{id}", result.Feed) : Problem(result);
    }

    private static async Task<Results<Ok<FeedRecord>, ProblemHttpResult>> UpdateAsync(
        [Description("The feed's id.")] Guid id, FeedRequest request, ClaimsPrincipal user, HttpContext context, FeedRepository feeds, FeedValidation validation,
        EgressGuard egress, CancellationToken cancellationToken)
    {
        // Only a new config can bring a new URL; checked before the row lock, since it may wait for DNS.
        if (await EgressChecks.FeedConfigAsync(egress, request.Config, cancellationToken) is { } refused)
        {
            return refused;
        }
        // Validated against the locked current row, so a PATCH of pageSize alone is checked with the feed's adapter.
        IDictionary<string, string[]> errors = new Dictionary<string, string[]>();
        var result = await feeds.UpdateAsync(user.OrgId(), id, current =>
        {
            (var changes, errors) = validation.Validate(id, request, current);
            return changes;
        }, Actor(user, context), cancellationToken);
        return result.Outcome switch
        {
            FeedWriteOutcome.Done => TypedResults.Ok(result.Feed),
            FeedWriteOutcome.Invalid => ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors),
            _ => Problem(result),
        };
    }

    private static ProblemHttpResult Problem(FeedWriteResult result) => result.Outcome switch
    {
        FeedWriteOutcome.NotFound => ApiProblem.Result(ErrorCatalog.NotFound),
        FeedWriteOutcome.NameTaken => ApiProblem.Result(ErrorCatalog.FeedNameTaken),
        _ => ApiProblem.Result(ErrorCatalog.FeedLimitReached, $"The organization may have {result.MaxFeeds} feeds.",
            details: new Dictionary<string, object?> { ["maxFeeds"] = result.MaxFeeds }),
    };

    private static FeedChangeActor Actor(ClaimsPrincipal user, HttpContext context) =>
        new(user.AuditActor(), ApiProblem.TraceId(context), context.Connection.RemoteIpAddress?.ToString());
}
