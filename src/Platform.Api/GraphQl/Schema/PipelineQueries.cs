using GraphQL;
using GraphQL.Types;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Pricing;

namespace Platform.Api.GraphQl.Schema;

/// <summary>
/// The pipeline reads of <c>Query</c>: feeds, runs and pricing rules, over the services REST uses. A single lookup of
/// another organization's id reads as null, like <c>diamond(id)</c> (REST answers 404).
/// </summary>
public static class PipelineQueries
{
    public const int DefaultRunsPage = 50;
    public const int MaxRunsPage = 100;

    public static void AddPipelineQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeedType>>>>("feeds")
            .Description($"Your organization's feeds by name (at most {FeedQueries.MaxListed}).")
            .ResolveAsync(async context => await context.Service<FeedQueries>().ListAsync(context.OrgId(), context.CancellationToken));
        query.Field<NonNullGraphType<RunConnectionType>>("runs")
            .Description("Your organization's runs, newest first; pass pageInfo.endCursor as 'after' for the next page.")
            .Argument<IntGraphType>("first", argument =>
            {
                argument.DefaultValue = DefaultRunsPage;
                argument.Description = $"1–{MaxRunsPage}.";
            })
            .Argument<StringGraphType>("after")
            .Argument<IdGraphType>("feedId", "Only runs of this feed.")
            .ResolveAsync(async context => await RunsAsync(context));
        query.Field<RunGraphType>("run")
            .Description("One run of your organization, or null.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async context => context.IdArgument("id") is { } id
                ? await context.Service<RunQueries>().FindAsync(context.OrgId(), id, context.CancellationToken)
                : null);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PricingRuleGraphType>>>>("pricingRules")
            .Description($"In the order consolidation tries them: by priority (lowest first), then id. At most {PricingRuleRepository.MaxListed}.")
            .Argument<BooleanGraphType>("includeInactive", argument => argument.DefaultValue = false)
            .ResolveAsync(async context => await context.Service<PricingRuleRepository>()
                .ListAsync(context.OrgId(), context.GetArgument<bool>("includeInactive"), context.CancellationToken));
    }

    /// <summary>REST's keyset (<c>GET /api/v1/runs</c>) with one row more, so hasNextPage is exact.</summary>
    private static async Task<RunConnection> RunsAsync(IResolveFieldContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var first = context.GetArgument<int?>("first") ?? DefaultRunsPage;
        if (first is < 1 or > MaxRunsPage)
        {
            errors["first"] = [$"Must be between 1 and {MaxRunsPage}."];
        }
        Guid? after = null;
        if (context.GetArgument<string?>("after") is { } cursor)
        {
            after = Guid.TryParse(cursor, out var id) ? id : null;
            if (after is null)
            {
                errors["after"] = ["Not a cursor of this list: pass pageInfo.endCursor unchanged."];
            }
        }
        Guid? feedId = null;
        if (context.GetArgument<string?>("feedId") is { } feed && (feedId = Guid.TryParse(feed, out var parsed) ? parsed : null) is null)
        {
            errors["feedId"] = ["Must be a UUID."];
        }
        if (errors.Count > 0)
        {
            throw GraphQlErrors.Validation(errors);
        }
        var runs = await context.Service<RunQueries>().ListAsync(context.OrgId(), feedId, after, first + 1, context.CancellationToken);
        return new RunConnection([.. runs.Take(first)], runs.Count > first);
    }
}
