using System.ComponentModel;
using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis.Admin;

/// <summary>
/// The platform operator's per-organization limit overrides (PLATFORM §7, ADR 0024): run capacity, request rates and the
/// feed limit. Each limit reads back as its effective value, the plan's value and the override (null when none).
/// </summary>
public static class OrganizationLimitsApi
{
    public const int MaxRunningCapacity = 1_000;
    public const int MaxQueuedCapacity = 100_000;
    public const int MaxFeeds = 100_000;

    /// <summary>Body of PUT: the complete set of overrides. A null or omitted field has no override (the plan's value applies).</summary>
    public sealed record LimitOverridesRequest(int? RunningCapacity, int? QueuedCapacity, int? RpmRead, int? RpmWrite, int? MaxFeeds);

    /// <summary>One limit: what applies, what the plan says, and the operator's override if any.</summary>
    public sealed record LimitValue(int Effective, int Plan, int? Override);

    public sealed record OrganizationLimitsResponse(
        Guid OrganizationId, string Plan, LimitValue RunningCapacity, LimitValue QueuedCapacity, LimitValue RpmRead, LimitValue RpmWrite, LimitValue MaxFeeds);

    public static IEndpointRouteBuilder MapOrganizationLimitsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/orgs/{id:guid}/limits").WithTags("Admin")
            .RequireAuthorization(PlatformAdminPolicy.Name).RequireRateLimiting(RateLimitPolicies.Admin);
        api.MapGet("", GetAsync).WithName("GetOrganizationLimits")
            .WithSummary("Get an organization's limits")
            .WithDescription("Needs scope `platform:admin`. Each limit as `effective`, `plan` and `override` (null when the plan's value applies).")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPut("", ReplaceAsync).WithName("ReplaceOrganizationLimits")
            .WithSummary("Replace an organization's limit overrides")
            .WithDescription($"Needs scope `platform:admin`. Replaces every override: a null or omitted field clears it. Bounds: runningCapacity 1–{MaxRunningCapacity}, "
                + $"queuedCapacity 0–{MaxQueuedCapacity}, rpmRead and rpmWrite 1–{RateLimitOptionsValidator.MaxPermitLimit} (per minute), maxFeeds 1–{MaxFeeds}. "
                + "Audited as `org.limits_changed`. A raised running capacity starts queued runs at once; request rates apply within `RateLimits:OrganizationCacheSeconds` on other replicas.")
            .ProducesErrors(ErrorCatalog.NotFound);
        return routes;
    }

    private static async Task<Results<Ok<OrganizationLimitsResponse>, ProblemHttpResult>> GetAsync(
        [Description("The organization's id.")] Guid id, OrganizationLimitsStore limits, CancellationToken cancellationToken) =>
        await limits.FindAsync(id, cancellationToken) is { } found ? TypedResults.Ok(ToResponse(found)) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Ok<OrganizationLimitsResponse>, ProblemHttpResult>> ReplaceAsync(
        [Description("The organization's id.")] Guid id, LimitOverridesRequest request, ClaimsPrincipal user, HttpContext context,
        OrganizationLimitsStore limits, OrganizationRates rates, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var overrides = new LimitOverrides(request.RunningCapacity, request.QueuedCapacity, request.RpmRead, request.RpmWrite, request.MaxFeeds);
        var actor = $"key:{user.FindFirstValue(PlatformClaims.KeyId)}";
        var replaced = await limits.ReplaceAsync(id, overrides, actor, ApiProblem.TraceId(context), cancellationToken);
        if (replaced is null)
        {
            return ApiProblem.Result(ErrorCatalog.NotFound);
        }
        rates.Forget(id);
        return TypedResults.Ok(ToResponse(replaced));
    }

    private static Dictionary<string, string[]> Validate(LimitOverridesRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string field, int? value, int min, int max)
        {
            if (value is { } v && (v < min || v > max))
            {
                errors[field] = [$"Must be between {min} and {max}, or null for the plan's value."];
            }
        }
        Check("runningCapacity", request.RunningCapacity, 1, MaxRunningCapacity);
        Check("queuedCapacity", request.QueuedCapacity, 0, MaxQueuedCapacity);
        Check("rpmRead", request.RpmRead, 1, RateLimitOptionsValidator.MaxPermitLimit);
        Check("rpmWrite", request.RpmWrite, 1, RateLimitOptionsValidator.MaxPermitLimit);
        Check("maxFeeds", request.MaxFeeds, 1, MaxFeeds);
        return errors;
    }

    private static OrganizationLimitsResponse ToResponse(OrganizationLimits limits)
    {
        static LimitValue Value(int plan, int? overridden) => new(overridden ?? plan, plan, overridden);
        return new OrganizationLimitsResponse(limits.OrgId, limits.Plan,
            Value(limits.PlanRunningCapacity, limits.RunningCapacityOverride),
            Value(limits.PlanQueuedCapacity, limits.QueuedCapacityOverride),
            Value(limits.PlanRpmRead, limits.RpmReadOverride),
            Value(limits.PlanRpmWrite, limits.RpmWriteOverride),
            Value(limits.PlanMaxFeeds, limits.MaxFeedsOverride));
    }
}
