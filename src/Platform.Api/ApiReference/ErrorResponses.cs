namespace Platform.Api.ApiReference;

/// <summary>Endpoint metadata: the route can answer with this catalogue error (read by <see cref="ErrorResponsesTransformer"/>).</summary>
public sealed record ErrorResponseMetadata(ErrorDefinition Error);

public static class ErrorResponses
{
    /// <summary>
    /// Declares the catalogue errors a route's handler returns itself. Errors every route of a kind can answer
    /// (401/403 behind a key, 400/415 for a body or query) are added by <see cref="ErrorResponsesTransformer"/>.
    /// </summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params ErrorDefinition[] errors)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. errors.Select(error => new ErrorResponseMetadata(error))]);
}
