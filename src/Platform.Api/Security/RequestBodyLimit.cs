using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Platform.Api.Errors;

namespace Platform.Api.Security;

/// <summary>
/// Enforces <see cref="RequestBodyOptions.MaxRequestBodyBytes"/> with a 413 problem: at once when Content-Length is too
/// large, and while reading for chunked bodies. Kestrel's own limit is lifted for the request because it answers a bare
/// 413 that minimal-API body binding swallows; this one always ends in problem+json. The test server has no limit at all.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<RequestBodyOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, limit);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = null;
        }
        var original = context.Request.Body;
        var body = new LimitedRequestStream(original, limit);
        context.Request.Body = body;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Body = original;
        }

        // Body binding catches the stream's exception (it is an IOException) and ends the request without an answer.
        if (body.LimitExceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteTooLargeAsync(context, limit);
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        // The rest of the body is not read; Kestrel closes the connection rather than drain a large upload.
        context.Response.Headers.Connection = "close";
        return ApiProblem.WriteAsync(context, ErrorCatalog.PayloadTooLarge, $"The request body may be at most {limit} bytes.");
    }
}
