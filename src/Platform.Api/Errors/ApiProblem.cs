using System.Diagnostics;

namespace Platform.Api.Errors;

/// <summary>Builds problem+json responses from the error catalogue: <c>code</c>, <c>hint</c> and <c>traceId</c> on every one.</summary>
public static class ApiProblem
{
    public const string DocsBase = "https://platform.example/docs/";

    public static ProblemHttpResult Result(
        ErrorDefinition error, string? detail = null, IDictionary<string, string[]>? fieldErrors = null, IReadOnlyDictionary<string, object?>? details = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code, ["hint"] = error.Hint };
        if (fieldErrors is not null)
        {
            extensions["errors"] = fieldErrors;
        }
        // Machine-readable facts of this error (e.g. the numbers of CAPACITY_EXCEEDED), next to code and hint.
        foreach (var (name, value) in details ?? new Dictionary<string, object?>())
        {
            extensions[name] = value;
        }
        return TypedResults.Problem(detail, statusCode: error.Status, title: error.Title, type: DocsBase + error.DocsAnchor, extensions: extensions);
    }

    /// <summary>Writes a catalogue error directly (for middleware and authentication handlers).</summary>
    public static Task WriteAsync(HttpContext context, ErrorDefinition error, string? detail = null) =>
        Result(error, detail).ExecuteAsync(context);

    /// <summary>The trace id a client can quote to the operator.</summary>
    public static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
}
