using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Api.Apis;

/// <summary>
/// 200 with a body that is already JSON (a cached <see cref="CachedJson"/>), written as it is; OpenAPI describes it as
/// <typeparamref name="T"/>, the type it was serialized from, exactly as <c>Ok&lt;T&gt;</c> would.
/// </summary>
public sealed class CachedJsonResult<T>(CachedJson json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = json.Utf8.Length;
        return response.Body.WriteAsync(json.Utf8, httpContext.RequestAborted).AsTask();
    }

    // The interface's member is static (the framework reads it from the type, with no instance at hand).
#pragma warning disable CA1000
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
#pragma warning restore CA1000
}
