using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.ApiReference;

/// <summary>
/// Marks every property of a response object as required: responses always write each property (<c>null</c> when
/// empty), so a generated client may rely on it instead of treating every field as optional. Request bodies keep
/// their properties optional, as binding does (the handlers report what is missing as field errors), and the problem schema
/// keeps its own list (<c>detail</c> and <c>errors</c> come only with some errors). Runs on the finished document, where the schemas a
/// request body uses can be told apart.
/// </summary>
internal sealed class RequiredResponsePropertiesTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var requestSchemas = (document.Paths ?? [])
            .SelectMany(path => path.Value.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.RequestBody?.Content?.Values ?? [])
            .Select(media => media.Schema)
            .OfType<OpenApiSchemaReference>()
            .Select(reference => reference.Reference.Id)
            .ToHashSet();
        foreach (var (id, component) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (id == ProblemSchema.Id || component is not OpenApiSchema { Properties.Count: > 0 } schema)
            {
                continue;
            }
            // The generator marks a record's constructor parameters required, but binding accepts a body without them.
            schema.Required = requestSchemas.Contains(id) ? null : new HashSet<string>(schema.Properties.Keys);
        }
        return Task.CompletedTask;
    }
}
