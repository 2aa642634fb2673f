using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;
using Platform.Api.Authentication;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Api.Errors;

/// <summary>
/// Records every api response of 500 or above in the error log: unhandled exceptions (as the exception handler turned
/// them into INTERNAL_ERROR) and deliberate 5xx problems (a supplier or dependency down). Sits outside the exception
/// handler, so it sees the final status; the record is buffered, so the response never waits for it.
/// </summary>
public static class ErrorLogMiddleware
{
    public static WebApplication UseErrorLog(this WebApplication app)
    {
        var errors = app.Services.GetRequiredService<IErrorLog>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (RecordThrown(errors, context, e))
            {
                throw; // never reached: the filter records and lets the exception pass on
            }
            if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                Record(errors, context, context.Features.Get<IExceptionHandlerFeature>());
            }
        });
        return app;
    }

    /// <summary>An exception the handler could not turn into a response (e.g. the response had started): record, then let it pass.</summary>
    private static bool RecordThrown(IErrorLog errors, HttpContext context, Exception exception)
    {
        if (!context.RequestAborted.IsCancellationRequested)
        {
            Write(errors, context, StatusCodes.Status500InternalServerError, exception, context.GetEndpoint());
        }
        return false;
    }

    private static void Record(IErrorLog errors, HttpContext context, IExceptionHandlerFeature? handled) =>
        Write(errors, context, context.Response.StatusCode, handled?.Error, handled?.Endpoint ?? context.GetEndpoint());

    private static void Write(IErrorLog errors, HttpContext context, int status, Exception? exception, Endpoint? endpoint)
    {
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        var code = exception is not null
            ? ErrorCatalog.Internal.Code
            : ErrorCatalog.All.FirstOrDefault(e => e.Status == status)?.Code ?? $"HTTP_{status}";
        var message = exception is not null
            ? $"{exception.GetType().Name}: {exception.Message}"
            : $"{context.Request.Method} {route} answered {status}";
        var orgId = Guid.TryParse(context.User.FindFirstValue(PlatformClaims.OrgId), out var org) ? org : (Guid?)null;
        // The route pattern, not the path: paths carry ids and would make every occurrence a different context.
        errors.Record(ErrorCategories.Api, code, message, orgId, new Dictionary<string, object?>
        {
            ["method"] = context.Request.Method, ["route"] = route, ["status"] = status,
            ["keyId"] = context.User.FindFirstValue(PlatformClaims.KeyId),
        });
    }
}
