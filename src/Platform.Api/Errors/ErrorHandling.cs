using Platform.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Diagnostics;

namespace Platform.Api.Errors;

public static class ErrorHandling
{
    public static IServiceCollection AddPlatformErrors(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["traceId"] = ApiProblem.TraceId(context.HttpContext);
            if (!problem.Extensions.TryGetValue("code", out var code))
            {
                // Problems the framework raises itself (e.g. 400 from binding, 405, 415) get the nearest catalogue entry.
                var error = CatalogueEntryFor(problem.Status ?? 500);
                problem.Extensions["code"] = code = error.Code;
                problem.Extensions["hint"] = error.Hint;
                problem.Type ??= ApiProblem.DocsBase + error.DocsAnchor;
            }
            // Every problem the api answers passes here once: the errors-by-category metric (bounded catalogue codes).
            ErrorTelemetry.Record((problem.Status ?? 500) >= 500 ? ErrorTelemetry.Server : ErrorTelemetry.Client, code as string ?? "UNKNOWN");
            if (context.Exception is not null)
            {
                // Never leak an exception message or a stack trace to a client.
                problem.Detail = null;
            }
        });

    /// <summary>
    /// Exception handler (problem+json, no internals) and problem bodies for bare status codes, so an unknown path
    /// (404), a wrong method (405) or content type (415) answers with a catalogue code too. A bad request that the
    /// framework raises as an exception (malformed JSON in Development) keeps its 400; anything else is a 500.
    /// </summary>
    public static WebApplication UsePlatformErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static ErrorDefinition CatalogueEntryFor(int status) => status switch
    {
        400 => ErrorCatalog.ValidationFailed,
        401 => ErrorCatalog.Unauthorized,
        403 => ErrorCatalog.Forbidden,
        404 => ErrorCatalog.RouteNotFound,
        503 => ErrorCatalog.ServiceUnavailable,
        _ => ErrorCatalog.All.FirstOrDefault(e => e.Status == status) ?? new ErrorDefinition($"HTTP_{status}", status, "Request failed", "See the API reference at /docs."),
    };
}
