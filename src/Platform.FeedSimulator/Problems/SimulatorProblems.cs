namespace Platform.FeedSimulator.Problems;

/// <summary>The simulator's error catalogue: every problem+json it writes carries one of these codes.</summary>
internal static class SimulatorProblems
{
    public const string InvalidParameter = "INVALID_PARAMETER";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string InjectedFault = "INJECTED_FAULT";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string InternalError = "INTERNAL_ERROR";

    public static ProblemHttpResult Invalid(string detail) =>
        Create(StatusCodes.Status400BadRequest, "Invalid parameter", detail, InvalidParameter);

    public static ProblemHttpResult Missing(string detail) =>
        Create(StatusCodes.Status404NotFound, "Not found", detail, NotFound);

    public static ProblemHttpResult Conflicting(string detail) =>
        Create(StatusCodes.Status409Conflict, "Conflict", detail, Conflict);

    public static ProblemHttpResult Unauthenticated() =>
        Create(StatusCodes.Status401Unauthorized, "Unauthorized", "A valid 'Authorization: Bearer <token>' header is required.", Unauthorized);

    public static ProblemHttpResult Injected(int status, string title, string detail) =>
        Create(status, title, detail, InjectedFault);

    /// <summary>The code for a problem the framework wrote itself (bad JSON body, unknown route, exception).</summary>
    public static string CodeFor(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidParameter,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => NotFound,
        StatusCodes.Status409Conflict => Conflict,
        _ => InternalError,
    };

    private static ProblemHttpResult Create(int status, string title, string detail, string code) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });
}
