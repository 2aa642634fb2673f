using GraphQL.Types;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.GraphQl.Schema;

/// <summary>One page of <c>Query.diamonds</c> as a Relay connection. Every edge's cursor is signed like REST's <c>nextCursor</c>.</summary>
public sealed record DiamondConnection(IReadOnlyList<DiamondEdge> Edges, bool HasNextPage, long TotalCount, bool TotalIsEstimate);

public sealed record DiamondEdge(string Cursor, DiamondView Node);

public sealed class DiamondConnectionType : ObjectGraphType<DiamondConnection>
{
    public DiamondConnectionType()
    {
        Name = "DiamondConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DiamondEdgeType>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DiamondType>>>>("nodes").Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => PageInfo.Of(c.Source.Edges, e => e.Cursor, c.Source.HasNextPage));
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("Exact up to 10 000 matching stones; beyond that an estimate (see totalIsEstimate).")
            .Resolve(c => (int)Math.Min(c.Source.TotalCount, int.MaxValue));
        Field<NonNullGraphType<BooleanGraphType>>("totalIsEstimate").Resolve(c => c.Source.TotalIsEstimate);
    }
}

public sealed class DiamondEdgeType : ObjectGraphType<DiamondEdge>
{
    public DiamondEdgeType()
    {
        Name = "DiamondEdge";
        Field(e => e.Cursor);
        Field<NonNullGraphType<DiamondType>>("node").Resolve(c => c.Source.Node);
    }
}

/// <summary>Relay's page info of every connection. Paging is forward only, so hasPreviousPage is always false (Relay allows that).</summary>
public sealed record PageInfo(bool HasNextPage, string? StartCursor, string? EndCursor)
{
    public static PageInfo Of<TEdge>(IReadOnlyList<TEdge> edges, Func<TEdge, string> cursor, bool hasNextPage) =>
        new(hasNextPage, edges.Count == 0 ? null : cursor(edges[0]), edges.Count == 0 ? null : cursor(edges[^1]));
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field(p => p.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Resolve(_ => false);
        Field(p => p.StartCursor, nullable: true);
        Field(p => p.EndCursor, nullable: true);
    }
}
