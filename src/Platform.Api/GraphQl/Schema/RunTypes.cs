using GraphQL.Types;
using Platform.Api.GraphQl.Batching;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Api.GraphQl.Schema;

/// <summary>A pipeline run: the same fields as REST's <c>GET /api/v1/runs/{id}</c>, plus its feed and partitions (both batched).</summary>
public sealed class RunGraphType : ObjectGraphType<RunView>
{
    public RunGraphType()
    {
        Name = "Run";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.FeedId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.RunType).Description("full or incremental.");
        Field(r => r.Status).Description("queued, scanning, running, consolidating, completed, failed or cancelled.");
        Field(r => r.Trigger).Description("What started the run: api (REST or GraphQL), schedule, …");
        Field(r => r.UpdatedFrom);
        Field(r => r.UpdatedTo);
        Field(r => r.PartitionsTotal);
        Field(r => r.PartitionsCompleted);
        Field(r => r.PartitionsFailed);
        Field(r => r.ConsolidationProcessed, type: typeof(NonNullGraphType<LongGraphType>));
        Field(r => r.ConsolidationFailed, type: typeof(NonNullGraphType<LongGraphType>));
        Field(r => r.ConsolidationForced);
        Field(r => r.HeatmapApiCalls, nullable: true);
        Field(r => r.Error, nullable: true);
        Field(r => r.TraceId, nullable: true);
        Field(r => r.WatermarkBefore, nullable: true);
        Field(r => r.WatermarkAfter, nullable: true);
        Field(r => r.CreatedAt);
        Field(r => r.StartedAt, nullable: true);
        Field(r => r.ConsolidationStartedAt, nullable: true);
        Field(r => r.CompletedAt, nullable: true);
        Field<FeedType>("feed")
            .Resolve(context => context.Service<GraphQlLoaders>().Feeds(context.OrgId()).Load(context.Source.FeedId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartitionGraphType>>>>("partitions")
            .Description("Ordered by partition id; empty while the run is scanning.")
            .Resolve(context => context.Service<GraphQlLoaders>().Partitions(context.OrgId()).Load(context.Source.Id)
                .Then(partitions => partitions ?? []));
    }
}

/// <summary>One price band of a run (REST's <c>GET /api/v1/runs/{id}/partitions</c>).</summary>
public sealed class PartitionGraphType : ObjectGraphType<PartitionView>
{
    public PartitionGraphType()
    {
        Name = "Partition";
        Field(p => p.PartitionId);
        Field(p => p.MinPrice);
        Field(p => p.MaxPrice);
        Field(p => p.EstimatedRecords, type: typeof(NonNullGraphType<LongGraphType>));
        Field(p => p.NextOffset);
        Field(p => p.Completed);
        Field(p => p.Failed);
        Field(p => p.Attempts);
        Field(p => p.NextRetryAt, nullable: true);
        Field(p => p.LastError, nullable: true);
        Field(p => p.UpdatedAt);
    }
}

/// <summary>A page of <c>Query.runs</c>. A cursor is the run's id, as REST's <c>nextCursor</c> (ids are time-ordered UUIDv7).</summary>
public sealed record RunConnection(IReadOnlyList<RunView> Nodes, bool HasNextPage);

public sealed class RunConnectionType : ObjectGraphType<RunConnection>
{
    public RunConnectionType()
    {
        Name = "RunConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RunEdgeType>>>>("edges").Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RunGraphType>>>>("nodes").Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => PageInfo.Of(c.Source.Nodes, Cursor, c.Source.HasNextPage));
    }

    public static string Cursor(RunView run) => run.Id.ToString();
}

public sealed class RunEdgeType : ObjectGraphType<RunView>
{
    public RunEdgeType()
    {
        Name = "RunEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => RunConnectionType.Cursor(c.Source));
        Field<NonNullGraphType<RunGraphType>>("node").Resolve(c => c.Source);
    }
}
