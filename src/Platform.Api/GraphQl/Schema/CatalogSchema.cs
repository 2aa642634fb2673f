namespace Platform.Api.GraphQl.Schema;

/// <summary>The GraphQL schema (docs/api/schema.graphql is its printed snapshot).</summary>
public sealed class CatalogSchema : GraphQL.Types.Schema
{
    public CatalogSchema(IServiceProvider services, CatalogQueryType query, CatalogMutationType mutation) : base(services)
    {
        Query = query;
        Mutation = mutation;
    }
}
