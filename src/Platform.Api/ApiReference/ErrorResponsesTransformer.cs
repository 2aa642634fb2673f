using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Platform.Api.ApiReference;

/// <summary>
/// Adds to every operation what follows from how it is mapped, so routes declare only their own errors: the API-key
/// security requirement with 401 and 403 behind a key, 429 on rate-limited routes, 400 when there is a query or body to validate, 413 and 415 for a body,
/// plus the errors declared with <see cref="ErrorResponses.ProducesErrors"/>. Each status gets one problem+json
/// response listing its codes, with an example per code.
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        PlatformDocumentTransformer.AddComponents(document);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var errors = new List<ErrorDefinition>();
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = ApiKeySecurity.Requirements(document);
            errors.AddRange([ErrorCatalog.Unauthorized, ErrorCatalog.Forbidden]);
        }
        if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
        {
            // Binding refuses a malformed value (or JSON) with VALIDATION_FAILED before a handler runs.
            errors.Add(ErrorCatalog.ValidationFailed);
        }
        if (operation.RequestBody is not null)
        {
            errors.AddRange([ErrorCatalog.UnsupportedMediaType, ErrorCatalog.PayloadTooLarge]);
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            errors.Add(ErrorCatalog.RateLimited);
        }
        errors.AddRange(metadata.OfType<ErrorResponseMetadata>().Select(declared => declared.Error));

        foreach (var status in errors.Distinct().GroupBy(error => error.Status).OrderBy(group => group.Key))
        {
            operation.Responses ??= [];
            operation.Responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Response(document, [.. status]);
        }
        return Task.CompletedTask;
    }

    private static OpenApiResponse Response(OpenApiDocument document, IReadOnlyList<ErrorDefinition> errors) => new()
    {
        Description = string.Join(" ", errors.Select(error => $"`{error.Code}`: {error.Title}.")),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(ProblemSchema.Id, document),
                Examples = errors.ToDictionary(
                    error => error.Code,
                    error => (IOpenApiExample)new OpenApiExample { Summary = error.Title, Value = ProblemSchema.Example(error) }),
            },
        },
    };
}
