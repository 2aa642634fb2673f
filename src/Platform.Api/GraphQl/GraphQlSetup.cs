using GraphQL;
using GraphQL.Validation.Rules.Custom;
using Platform.Api.Authentication;
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
                .AddComplexityAnalyzer(complexity => complexity.MaxDepth = options.MaxDepth);
            if (!introspection)
            {
                graphQl.AddValidationRule<NoIntrospectionValidationRule>();
            }
        });
        builder.Services.AddSingleton<GraphQlEndpoint>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGraphQlApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/graphql", [HttpMethods.Get, HttpMethods.Post],
                (HttpContext context, GraphQlEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("GraphQl")
            .WithTags("GraphQL")
            .RequireAuthorization(AuthenticationSetup.CatalogRead)
            // The schema has queries only so far: every request counts as a catalog read, whatever the method. When
            // mutations arrive they must count against catalog-write, which needs the operation type before the limiter.
            .RequireRateLimiting(RateLimitPolicies.CatalogRead)
            // The GraphQL document is described by docs/api/schema.graphql, not by OpenAPI.
            .ExcludeFromDescription();
        return routes;
    }
}
