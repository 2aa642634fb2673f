using GraphQL;
using GraphQL.Types;
using Platform.Domain.Catalog.Paging;
using Platform.Domain.Catalog.Search;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Api.GraphQl.Schema;

/// <summary>
/// The reads of GraphQL, over the same services as REST: the caller's active stones only; another organization's
/// diamond reads as null, like REST's 404. The pipeline reads (feeds, runs, pricing rules) are in <see cref="PipelineQueries"/>.
/// </summary>
public sealed class CatalogQueryType : ObjectGraphType
{
    public CatalogQueryType()
    {
        Name = "Query";
        Field<NonNullGraphType<DiamondConnectionType>>("diamonds")
            .Description("Search the catalog with keyset pages: pass pageInfo.endCursor (or any edge's cursor) as 'after' with the same where and order.")
            .Argument<DiamondFilterInputType>("where")
            .Argument<DiamondOrderInputType>("order")
            .Argument<IntGraphType>("first", argument =>
            {
                argument.DefaultValue = DiamondSearchCriteria.DefaultLimit;
                argument.Description = "1–100.";
            })
            .Argument<StringGraphType>("after")
            .ResolveAsync(async context => await SearchAsync(context));
        Field<DiamondType>("diamond")
            .Description("One active stone of your organization, or null.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async context =>
            {
                var diamonds = context.RequestServices!.GetRequiredService<DiamondQueries>();
                var cache = context.RequestServices!.GetRequiredService<CatalogCache>();
                var orgId = context.OrgId();
                // An id that is not a UUID cannot name a stone: null, as for any other unknown id. The entry is REST's.
                return Guid.TryParse(context.GetArgument<string>("id"), out var id)
                    ? await cache.GetOrLoadAsync(orgId, CatalogCacheKind.Detail, id, token => diamonds.FindAsync(orgId, id, token), context.CancellationToken)
                    : null;
            });
        this.AddPipelineQueries();
    }

    private static async Task<DiamondConnection> SearchAsync(IResolveFieldContext context)
    {
        var criteria = DiamondSearchArguments.Parse(context);
        var orgId = context.OrgId();
        var cursors = context.RequestServices!.GetRequiredService<DiamondCursor>();
        DiamondPosition? after = null;
        if (criteria.Cursor is { } token && (after = cursors.Decode(orgId, criteria, token)) is null)
        {
            throw GraphQlErrors.InvalidCursor();
        }
        var search = context.RequestServices!.GetRequiredService<DiamondSearch>();
        return await context.RequestServices!.GetRequiredService<CatalogCache>().GetOrLoadAsync(orgId, CatalogCacheKind.GraphQlSearch, criteria, async token =>
        {
            var page = await search.SearchAsync(orgId, criteria, after, token);
            var encode = cursors.EncoderFor(orgId, criteria);
            var edges = page.Items
                .Select(item => new DiamondEdge(encode(DiamondSearch.PositionOf((DiamondSearchRow)item)), item))
                .ToList();
            return new DiamondConnection(edges, page.Next is not null, page.Total, page.TotalIsEstimate);
        }, context.CancellationToken);
    }

}
