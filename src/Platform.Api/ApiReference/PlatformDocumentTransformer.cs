using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.Api.ApiReference;

/// <summary>The document's title and description, and the shared components (security schemes, the problem schema).</summary>
internal sealed class PlatformDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Platform API",
            Version = "v1",
            Description = """
                Multi-tenant diamond inventory catalog. Every route except `GET /api/v1/status` needs an organization's API key,
                in `X-API-Key` or as `Authorization: Bearer`, and sees only that organization's data. Errors are
                `application/problem+json` with a stable `code`, a `hint` and the `traceId`. Lists use keyset paging with opaque,
                signed cursors: pass `nextCursor` back as `cursor` with the same filters.
                """,
        };
        // The document is served to whatever host asks; a server list would tie the checked-in copy to the port it was read from.
        document.Servers = [];
        AddComponents(document);
        return Task.CompletedTask;
    }

    /// <summary>Idempotent: operation transformers, which run first, reference these components too.</summary>
    public static void AddComponents(OpenApiDocument document)
    {
        ApiKeySecurity.AddSchemes(document);
        document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema.Id, ProblemSchema.Create());
    }
}
