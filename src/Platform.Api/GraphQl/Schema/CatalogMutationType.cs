using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Platform.Api.Apis;
using Platform.Domain.Tenancy;
using System.Security.Claims;
using Platform.Api.Authentication;
using Platform.Infrastructure.Catalog.Reservations;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Pricing;

namespace Platform.Api.GraphQl.Schema;

/// <summary>
/// The mutations, over the services, validation, audit entries and error codes of REST (RunsApi, PricingRulesApi). Each
/// names its scope with <see cref="ScopeRequirement.RequireScope{TSource,TReturn}"/>, which also enforces it. A failed
/// mutation answers null with one error whose <c>extensions.code</c> is REST's problem code.
/// </summary>
public sealed class CatalogMutationType : ObjectGraphType
{
    public CatalogMutationType()
    {
        Name = "Mutation";
        Field<RunGraphType>("triggerRun")
            .Description("Start a run of a feed (REST: POST /api/v1/feeds/{feedId}/runs). Errors: NOT_FOUND, FEED_DISABLED, RUN_ALREADY_ACTIVE, VALIDATION_FAILED.")
            .Argument<NonNullGraphType<IdGraphType>>("feedId")
            .Argument<StringGraphType>("type", "full or incremental; without it the run is incremental when the feed has a watermark.")
            .RequireScope(Scopes.PipelineAdmin)
            .ResolveAsync(async context => await TriggerRunAsync(context));
        Field<RetryFailedPartitionsPayloadType>("retryFailedPartitions")
            .Description("Enqueue a running run's failed partitions again (REST: POST /api/v1/runs/{runId}/retry-failed). Errors: NOT_FOUND, RUN_STATE_CONFLICT.")
            .Argument<NonNullGraphType<IdGraphType>>("runId")
            .RequireScope(Scopes.PipelineAdmin)
            .ResolveAsync(async context => await RetryFailedPartitionsAsync(context));
        Field<PricingRuleGraphType>("createPricingRule")
            .Description("Create a pricing rule; applies from the next consolidation (REST: POST /api/v1/pricing-rules). Errors: VALIDATION_FAILED.")
            .Argument<NonNullGraphType<PricingRuleInputType>>("input")
            .RequireScope(Scopes.PipelineAdmin)
            .ResolveAsync(async context => await SavePricingRuleAsync(context, id: null));
        Field<PricingRuleGraphType>("updatePricingRule")
            .Description("Replace every field of a pricing rule, an omitted one is cleared (REST: PUT /api/v1/pricing-rules/{id}). Errors: NOT_FOUND, VALIDATION_FAILED.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<PricingRuleInputType>>("input")
            .RequireScope(Scopes.PipelineAdmin)
            .ResolveAsync(async context => await SavePricingRuleAsync(context, context.IdArgument("id") ?? throw NotFound()));
        Field<HoldGraphType>("holdDiamond")
            .Description("Hold a stone at its supplier and mark it on_hold (REST: POST /api/v1/diamonds/{id}/hold). Errors: NOT_FOUND, DIAMOND_NOT_AVAILABLE, RESERVATIONS_NOT_SUPPORTED, SUPPLIER_UNAVAILABLE (extensions.retryAfterSeconds).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.CatalogWrite)
            .ResolveAsync(async context => await HoldDiamondAsync(context));
    }

    private static async Task<HoldView> HoldDiamondAsync(IResolveFieldContext context)
    {
        var id = context.IdArgument("id") ?? throw NotFound();
        var actor = context.User!.AuditActor();
        var result = await context.Service<HoldService>().PlaceAsync(context.OrgId(), id, actor, context.CancellationToken);
        return result.Status switch
        {
            HoldStatus.Placed => result.Hold!,
            HoldStatus.NotFound => throw NotFound(),
            HoldStatus.NotAvailable => throw Error(ErrorCatalog.DiamondNotAvailable, result.Detail),
            HoldStatus.NotSupported => throw Error(ErrorCatalog.ReservationsNotSupported, result.Detail),
            _ => throw new ExecutionError(result.Detail ?? ErrorCatalog.SupplierUnavailable.Title)
            {
                Code = ErrorCatalog.SupplierUnavailable.Code,
                Extensions = new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling((result.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds) },
            },
        };
    }

    private static async Task<RunView?> TriggerRunAsync(IResolveFieldContext context)
    {
        RunType? type = context.GetArgument<string?>("type")?.ToLowerInvariant() switch
        {
            null or "" => null,
            "full" => RunType.Full,
            "incremental" => RunType.Incremental,
            _ => throw GraphQlErrors.Validation(new Dictionary<string, string[]>
            {
                ["type"] = ["Must be 'full' or 'incremental' (or omitted: incremental when the feed has a watermark)."],
            }),
        };
        var feedId = context.IdArgument("feedId") ?? throw NotFound();
        // "api" like REST: the trigger records who started a run (a person or the schedule), not over which protocol.
        var result = await context.Service<RunTrigger>().StartAsync(context.OrgId(), feedId, type, "api", context.CancellationToken);
        return result.Outcome switch
        {
            RunTriggerOutcome.Started => await context.Service<RunQueries>().FindAsync(context.OrgId(), result.RunId!.Value, context.CancellationToken),
            RunTriggerOutcome.FeedNotFound => throw NotFound(),
            RunTriggerOutcome.FeedDisabled => throw Error(ErrorCatalog.FeedDisabled),
            _ => throw Error(ErrorCatalog.RunAlreadyActive),
        };
    }

    private static async Task<RetryFailedPartitionsPayload> RetryFailedPartitionsAsync(IResolveFieldContext context)
    {
        var runId = context.IdArgument("runId") ?? throw NotFound();
        var result = await context.Service<RunControl>().RetryFailedPartitionsAsync(context.OrgId(), runId, context.CancellationToken);
        return result.Outcome switch
        {
            RunControlOutcome.Done => new RetryFailedPartitionsPayload(
                result.Affected, await context.Service<RunQueries>().FindAsync(context.OrgId(), runId, context.CancellationToken)),
            RunControlOutcome.NotFound => throw NotFound(),
            _ => throw Error(ErrorCatalog.RunStateConflict, result.Reason),
        };
    }

    private static async Task<PricingRuleRecord> SavePricingRuleAsync(IResolveFieldContext context, Guid? id)
    {
        var (request, inputErrors) = ReadPricingRule(context.GetArgument<Dictionary<string, object?>>("input"));
        var rules = context.Service<PricingRuleRepository>();
        var orgId = context.OrgId();
        var (rule, errors) = await PricingRulesApi.ValidateAsync(id ?? Guid.CreateVersion7(), request, orgId, rules, context.CancellationToken);
        foreach (var (field, messages) in inputErrors)
        {
            errors[field] = [.. errors.GetValueOrDefault(field, []), .. messages];
        }
        if (errors.Count > 0)
        {
            throw GraphQlErrors.Validation(errors.ToDictionary(pair => "input." + pair.Key, pair => pair.Value));
        }
        var http = context.Service<IHttpContextAccessor>().HttpContext!;
        var change = PricingRulesApi.Change(context.User!, http);
        return id is null
            ? await rules.CreateAsync(orgId, rule, change, context.CancellationToken)
            : await rules.ReplaceAsync(orgId, rule, change, context.CancellationToken) ?? throw NotFound();
    }

    /// <summary>The input object as REST's request record; a feedId that is not a UUID is a field error of its own.</summary>
    private static (PricingRulesApi.PricingRuleRequest Request, Dictionary<string, string[]> Errors) ReadPricingRule(Dictionary<string, object?> input)
    {
        var errors = new Dictionary<string, string[]>();
        T? Value<T>(string name) where T : struct =>
            input.GetValueOrDefault(name) is { } value ? (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture) : null;
        Guid? feedId = null;
        if (input.GetValueOrDefault("feedId") is { } feed && (feedId = Guid.TryParse(Convert.ToString(feed, CultureInfo.InvariantCulture), out var parsed) ? parsed : null) is null)
        {
            errors["feedId"] = ["Must be a UUID."];
        }
        var shapes = input.GetValueOrDefault("shapes") is IEnumerable<object?> list
            ? list.Select(shape => shape is null ? null : Convert.ToString(shape, CultureInfo.InvariantCulture)).ToList()
            : null;
        return (new PricingRulesApi.PricingRuleRequest(
            Value<int>("priority"), Value<decimal>("caratMin"), Value<decimal>("caratMax"), shapes, Value<bool>("labGrown"), feedId,
            Value<decimal>("markupRatio"), Value<int>("rating"), Value<bool>("active")), errors);
    }

    private static ExecutionError NotFound() => Error(ErrorCatalog.NotFound);

    private static ExecutionError Error(ErrorDefinition definition, string? detail = null) =>
        new(detail ?? $"{definition.Title}. {definition.Hint}") { Code = definition.Code };
}

/// <summary>What <c>retryFailedPartitions</c> did: how many partitions were enqueued again, and the run afterwards.</summary>
public sealed record RetryFailedPartitionsPayload(int Affected, RunView? Run);

public sealed class RetryFailedPartitionsPayloadType : ObjectGraphType<RetryFailedPartitionsPayload>
{
    public RetryFailedPartitionsPayloadType()
    {
        Name = "RetryFailedPartitionsPayload";
        Field(p => p.Affected).Description("Failed partitions enqueued again from their next offset.");
        Field<RunGraphType>("run").Resolve(c => c.Source.Run);
    }
}

public sealed class HoldGraphType : ObjectGraphType<HoldView>
{
    public HoldGraphType()
    {
        Name = "Hold";
        Description = "A hold placed at the stone's supplier.";
        Field(h => h.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(h => h.DiamondId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(h => h.SupplierHoldId);
        Field(h => h.HoldUntil, nullable: true).Description("When the supplier releases the hold, when it says.");
        Field(h => h.CreatedAt);
    }
}
