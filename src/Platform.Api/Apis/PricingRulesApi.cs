using System.ComponentModel;
using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Pricing;

namespace Platform.Api.Apis;

/// <summary>
/// An organization's pricing rules (PLATFORM §6, pricing). Changes apply from the next consolidation; deleting
/// deactivates, so diamonds priced by a rule keep a rule to point at.
/// </summary>
public static class PricingRulesApi
{
    public const int MaxPriority = 1_000_000;
    public const int MaxShapes = 20;
    public const int MaxShapeLength = 40;

    /// <summary>The largest carat weight the store holds (numeric(6,2)).</summary>
    public const decimal MaxCarats = 9999.99m;

    /// <summary>Body of POST and PUT. <c>active</c> defaults to true; PUT replaces every field, so an omitted one is cleared.</summary>
    public sealed record PricingRuleRequest(
        int? Priority, decimal? CaratMin, decimal? CaratMax, IReadOnlyList<string?>? Shapes, bool? LabGrown, Guid? FeedId,
        decimal? MarkupRatio, int? Rating, bool? Active);

    public sealed record PricingRuleList(IReadOnlyList<PricingRuleRecord> Items);

    public static IEndpointRouteBuilder MapPricingRulesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/pricing-rules").WithTags("Pricing").RateLimitedByMethod();
        api.MapGet("", ListAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ListPricingRules")
            .WithSummary("List pricing rules")
            .WithDescription("Needs scope `pipeline:admin`. In the order consolidation tries them: by priority (lowest first), then id. At most 1 000 rules.");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("GetPricingRule")
            .WithSummary("Get a pricing rule").WithDescription("Needs scope `pipeline:admin`. Inactive rules are readable too.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPost("", CreateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("CreatePricingRule")
            .WithSummary("Create a pricing rule")
            .WithDescription("Needs scope `pipeline:admin`. Applies from the next consolidation. Every invalid field is reported at once in `errors`.");
        api.MapPut("/{id:guid}", ReplaceAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ReplacePricingRule")
            .WithSummary("Replace a pricing rule")
            .WithDescription("Needs scope `pipeline:admin`. A full replace: an omitted field is cleared (criteria match anything, `active` becomes true).")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapDelete("/{id:guid}", DeactivateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("DeactivatePricingRule")
            .WithSummary("Deactivate a pricing rule")
            .WithDescription("Needs scope `pipeline:admin`. Sets `active` to false; the rule stays readable because diamonds record which rule priced them.")
            .ProducesErrors(ErrorCatalog.NotFound);
        return routes;
    }

    private static async Task<Ok<PricingRuleList>> ListAsync(
        ClaimsPrincipal user, PricingRuleRepository rules, [Description("Also list deactivated rules (default false).")] bool? includeInactive, CancellationToken cancellationToken) =>
        TypedResults.Ok(new PricingRuleList(await rules.ListAsync(user.OrgId(), includeInactive ?? false, cancellationToken)));

    private static async Task<Results<Ok<PricingRuleRecord>, ProblemHttpResult>> GetAsync(
        [Description("The rule's id.")] Guid id, ClaimsPrincipal user, PricingRuleRepository rules, CancellationToken cancellationToken) =>
        await rules.FindAsync(user.OrgId(), id, cancellationToken) is { } rule ? TypedResults.Ok(rule) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Created<PricingRuleRecord>, ProblemHttpResult>> CreateAsync(
        PricingRuleRequest request, ClaimsPrincipal user, HttpContext context, PricingRuleRepository rules, CancellationToken cancellationToken)
    {
        var (rule, errors) = await ValidateAsync(Guid.CreateVersion7(), request, user.OrgId(), rules, cancellationToken);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var created = await rules.CreateAsync(user.OrgId(), rule, Change(user, context), cancellationToken);
        return TypedResults.Created($"/api/v1/pricing-rules/{created.Id}", created);
    }

    private static async Task<Results<Ok<PricingRuleRecord>, ProblemHttpResult>> ReplaceAsync(
        [Description("The rule's id.")] Guid id, PricingRuleRequest request, ClaimsPrincipal user, HttpContext context, PricingRuleRepository rules, CancellationToken cancellationToken)
    {
        var (rule, errors) = await ValidateAsync(id, request, user.OrgId(), rules, cancellationToken);
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        return await rules.ReplaceAsync(user.OrgId(), rule, Change(user, context), cancellationToken) is { } replaced
            ? TypedResults.Ok(replaced)
            : ApiProblem.Result(ErrorCatalog.NotFound);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeactivateAsync(
        [Description("The rule's id.")] Guid id, ClaimsPrincipal user, HttpContext context, PricingRuleRepository rules, CancellationToken cancellationToken) =>
        await rules.DeactivateAsync(user.OrgId(), id, Change(user, context), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblem.Result(ErrorCatalog.NotFound);

    /// <summary>The audit actor, trace and client address of a change; GraphQL's pricing-rule mutations use it too, so audit rows match.</summary>
    internal static PricingRuleChange Change(ClaimsPrincipal user, HttpContext context) =>
        new(user.AuditActor(), ApiProblem.TraceId(context), context.Connection.RemoteIpAddress?.ToString());

    /// <summary>
    /// The domain's rules (<see cref="PricingRule.Validate"/>) plus what the API and the store add: required fields,
    /// bounds that keep a rule storable, and a feed that must be the caller's (an unknown and a foreign feed read alike).
    /// GraphQL's createPricingRule and updatePricingRule call it too: one validation for both APIs.
    /// </summary>
    internal static async Task<(PricingRule Rule, Dictionary<string, string[]> Errors)> ValidateAsync(
        [Description("The rule's id.")] Guid id, PricingRuleRequest request, Guid orgId, PricingRuleRepository rules, CancellationToken cancellationToken)
    {
        var rule = new PricingRule
        {
            Id = id,
            // Placeholders for missing required fields are valid values, so only "required" is reported for them.
            Priority = request.Priority ?? 0,
            MarkupRatio = request.MarkupRatio ?? PricingDefaults.MarkupRatio,
            CaratMin = request.CaratMin,
            CaratMax = request.CaratMax,
            Shapes = request.Shapes?.Select(shape => shape ?? "").ToArray(),
            LabGrown = request.LabGrown,
            FeedId = request.FeedId,
            Rating = request.Rating,
            Active = request.Active ?? true,
        };
        var errors = rule.Validate().ToDictionary(pair => pair.Key, pair => pair.Value.ToList());
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var messages))
            {
                errors[field] = messages = [];
            }
            messages.Add(message);
        }

        if (request.Priority is null)
        {
            Add("priority", "Priority is required.");
        }
        else if (request.Priority > MaxPriority)
        {
            Add("priority", $"Priority must be at most {MaxPriority}.");
        }
        if (request.MarkupRatio is null)
        {
            Add("markupRatio", "Markup ratio is required.");
        }
        else if (decimal.Round(request.MarkupRatio.Value, 4) != request.MarkupRatio)
        {
            Add("markupRatio", "Markup ratio has at most 4 decimal places.");
        }
        CheckCarats("caratMin", request.CaratMin, Add);
        CheckCarats("caratMax", request.CaratMax, Add);
        if (request.Shapes is { Count: > MaxShapes })
        {
            Add("shapes", $"At most {MaxShapes} shapes.");
        }
        if (request.Shapes?.Any(shape => shape?.Length > MaxShapeLength) == true)
        {
            Add("shapes", $"Shape names have at most {MaxShapeLength} characters.");
        }
        if (request.FeedId is { } feedId && !await rules.IsFeedOfAsync(orgId, feedId, cancellationToken))
        {
            Add("feedId", "No feed with this id in your organization.");
        }
        return (rule, errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray()));
    }

    private static void CheckCarats(string field, decimal? carats, Action<string, string> add)
    {
        if (carats > MaxCarats)
        {
            add(field, $"Carats must be at most {MaxCarats}.");
        }
        else if (carats is { } value && decimal.Round(value, 2) != value)
        {
            add(field, "Carats have at most 2 decimal places.");
        }
    }
}
