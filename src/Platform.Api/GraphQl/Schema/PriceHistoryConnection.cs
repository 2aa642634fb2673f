using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Platform.Api.GraphQl.Batching;
using Platform.Domain.Catalog.History;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.GraphQl.Schema;

/// <summary>
/// <c>Diamond.priceHistory(first, after)</c>: newest first, over REST's keyset and signed cursors (a cursor from
/// <c>GET /diamonds/{id}/price-history</c> works here and back), validated by the same <see cref="PriceHistoryQuery"/>.
/// </summary>
public sealed record PriceHistoryConnection(IReadOnlyList<PriceHistoryEdge> Edges, bool HasNextPage);

public sealed record PriceHistoryEdge(string Cursor, PriceHistoryEntry Node);

public static class PriceHistoryField
{
    public static IDataLoaderResult<PriceHistoryConnection> Resolve(IResolveFieldContext<DiamondView> context)
    {
        var values = new Dictionary<string, IReadOnlyList<string?>>();
        if (context.GetArgument<int?>("first") is { } first)
        {
            values["limit"] = [first.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }
        if (context.GetArgument<string?>("after") is { } after)
        {
            values["cursor"] = [after];
        }
        var (query, errors) = PriceHistoryQuery.Parse(values);
        if (!errors.IsEmpty)
        {
            throw GraphQlErrors.Validation(errors.ToDictionary().ToDictionary(
                pair => pair.Key switch { "limit" => "first", "cursor" => "after", var name => name }, pair => pair.Value));
        }
        var orgId = context.OrgId();
        var scope = query.Scope(orgId, context.Source.Id);
        var cursors = context.Service<PriceHistoryCursor>();
        PriceHistoryPosition? position = null;
        if (query.Cursor is { } token && (position = cursors.Decode(scope, token)) is null)
        {
            throw GraphQlErrors.InvalidCursor();
        }
        return context.Service<GraphQlLoaders>().PriceHistory(orgId)
            .Load(new PriceHistoryKey(context.Source.Id, query.Limit + 1, position))
            .Then(entries =>
            {
                // The loader reads one entry more than asked for: it only tells that another page follows.
                var page = (entries ?? []).Take(query.Limit)
                    .Select(entry => new PriceHistoryEdge(cursors.Encode(scope, new PriceHistoryPosition(entry.ChangedAt, entry.Id)), entry))
                    .ToList();
                return new PriceHistoryConnection(page, (entries?.Count ?? 0) > query.Limit);
            });
    }
}

public sealed class PriceHistoryConnectionType : ObjectGraphType<PriceHistoryConnection>
{
    public PriceHistoryConnectionType()
    {
        Name = "PriceHistoryConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceHistoryEdgeType>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceChangeType>>>>("nodes").Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => PageInfo.Of(c.Source.Edges, e => e.Cursor, c.Source.HasNextPage));
    }
}

public sealed class PriceHistoryEdgeType : ObjectGraphType<PriceHistoryEdge>
{
    public PriceHistoryEdgeType()
    {
        Name = "PriceHistoryEdge";
        Field(e => e.Cursor);
        Field<NonNullGraphType<PriceChangeType>>("node").Resolve(c => c.Source.Node);
    }
}

/// <summary>One price change of a stone, in dollars; the first entry of a stone has null old prices.</summary>
public sealed class PriceChangeType : ObjectGraphType<PriceHistoryEntry>
{
    public PriceChangeType()
    {
        Name = "PriceChange";
        Field(e => e.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.RunId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The run whose consolidation changed the price.");
        Field(e => e.OldFeedPrice, nullable: true);
        Field(e => e.NewFeedPrice);
        Field(e => e.OldRetailPrice, nullable: true);
        Field(e => e.NewRetailPrice);
        Field(e => e.ChangedAt);
    }
}
