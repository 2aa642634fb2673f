using GraphQL;

namespace Platform.Api.GraphQl;

/// <summary>Resolver errors with the shared catalogue's code in <c>extensions.code</c> (field errors in <c>extensions.errors</c>).</summary>
public static class GraphQlErrors
{
    public static ExecutionError Validation(IReadOnlyDictionary<string, string[]> fieldErrors)
    {
        var error = new ExecutionError(ErrorCatalog.ValidationFailed.Title + ": "
            + string.Join("; ", fieldErrors.Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}")))
        {
            Code = ErrorCatalog.ValidationFailed.Code,
        };
        // Extensions, not Data: graphql-dotnet 8 does not serialize Data by default.
        error.Extensions = new Dictionary<string, object?> { ["errors"] = fieldErrors };
        return error;
    }

    public static ExecutionError InvalidCursor() => new(
        "The cursor in 'after' was altered, or was issued for other filters, another order or another organization.")
    {
        Code = ErrorCatalog.InvalidCursor.Code,
    };
}
