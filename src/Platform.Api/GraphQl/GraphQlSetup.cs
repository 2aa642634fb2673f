using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation.Rules.Custom;
using Platform.Api.Authentication;
using Platform.Api.GraphQl.Batching;
using Platform.Api.GraphQl.Schema;
using Platform.Api.RateLimiting;

namespace Platform.Api.GraphQl;

/// <summary>Registers the schema, graphql-dotnet's executer and the limits, and maps <c>GET|POST /graphql</c>.</summary>
public static class GraphQlSetup
{
    public static WebApplicationBuilder AddGraphQlApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GraphQlOptions>().BindConfiguration(GraphQlOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The limits shape the executer's validation rules, which are built once; so they are read here, not per request.
        var options = builder.Configuration.GetSection(GraphQlOptions.SectionName).Get<GraphQlOptions>() ?? new GraphQlOptions();
        var introspection = options.EnableIntrospection ?? builder.Environment.IsDevelopment();
        builder.Services.AddGraphQL(graphQl =>
        {
            graphQl.AddSchema<CatalogSchema>()
                .AddGraphTypes(typeof(CatalogSchema).Assembly)
                .AddSystemTextJson()
                // Query resolvers read objects already loaded (or batch through GraphQlLoaders), so running sibling fields
                // as parallel tasks only adds scheduling: the serial strategy is cheaper per field, and ours collects each
                // selection set's fields once per request instead of once per object (docs/performance.md).
                .AddExecutionStrategy<CatalogExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
                .AddComplexityAnalyzer(complexity => ComplexityBudget.Configure(complexity, options));
            if (!introspection)
            {
                graphQl.AddValidationRule<NoIntrospectionValidationRule>();
            }
        });
        builder.Services.AddSingleton<ValidatedDocumentCache>();
        builder.Services.AddSingleton<GraphQL.DI.IConfigureExecution>(services => services.GetRequiredService<ValidatedDocumentCache>());
        builder.Services.AddSingleton<GraphQlEndpoint>();
        // Per request: batch loaders must never share results between requests or callers.
        builder.Services.AddScoped<GraphQlLoaders>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGraphQlApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/graphql", [HttpMethods.Get, HttpMethods.Post],
                (HttpContext context, GraphQlEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("GraphQl")
            .WithTags("GraphQL")
            .RequireAuthorization(AuthenticationSetup.CatalogRead)
            // Every request counts as a catalog read here; a mutation also takes a catalog-write permit once the endpoint
            // has parsed the document (the limiter runs before the body is read).
            .RequireRateLimiting(RateLimitPolicies.CatalogRead)
            // The GraphQL document is described by docs/api/schema.graphql, not by OpenAPI.
            .ExcludeFromDescription();
        return routes;
    }
}
