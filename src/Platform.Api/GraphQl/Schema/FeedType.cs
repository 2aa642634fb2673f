using GraphQL.Types;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Api.GraphQl.Schema;

/// <summary>A feed of the organization. Its adapter configuration and secret reference are never exposed.</summary>
public sealed class FeedType : ObjectGraphType<FeedView>
{
    public FeedType()
    {
        Name = "Feed";
        Field(f => f.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(f => f.Name);
        Field(f => f.Adapter).Description("simulator or nivoda-graphql.");
        Field(f => f.Enabled).Description("A disabled feed cannot start runs (FEED_DISABLED).");
        Field(f => f.ScheduleCron, nullable: true).Description("Cron expression of scheduled runs; null when runs start by hand only.");
        Field(f => f.CreatedAt);
        Field(f => f.UpdatedAt);
    }
}
