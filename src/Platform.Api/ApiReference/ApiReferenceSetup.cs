using Platform.Api.RateLimiting;
using Scalar.AspNetCore;

namespace Platform.Api.ApiReference;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> at <c>/openapi/v1.json</c> and the interactive reference (Scalar) at
/// <c>/docs</c>. Both are public, like <c>/api/v1/status</c>: they describe the API, not any organization's data.
/// A checked-in copy lives in <c>docs/api/openapi.json</c>; a test fails when it drifts.
/// </summary>
public static class ApiReferenceSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // Health, metrics and the reference itself are operator endpoints, not part of the public API contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<PlatformDocumentTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
            options.AddDocumentTransformer<RequiredResponsePropertiesTransformer>();
            options.AddSchemaTransformer<NumberSchemaTransformer>();
        });

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Public);
        routes.MapScalarApiReference("/docs", options => options
                .WithTitle("Platform API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes([ApiKeySecurity.HeaderScheme]))
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Public);
        return routes;
    }
}
