using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Platform.Api.Errors;

namespace Platform.Api.ApiReference;

/// <summary>The one problem+json schema every error response uses, and an example body per catalogue error.</summary>
internal static class ProblemSchema
{
    public const string Id = "Problem";

    /// <summary>An example trace id: real ones are W3C trace ids of the request.</summary>
    private const string ExampleTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    public static OpenApiSchema Create() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457 problem details) from the error catalogue. Switch on `code`; quote `traceId` to the operator.",
        Required = new HashSet<string> { "type", "title", "status", "code", "hint", "traceId" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A link to the code's entry in the error reference."),
            ["title"] = Text("A short, human-readable summary of the code."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong in this request, when there is more to say than the title."),
            ["code"] = Text("A stable, upper-snake-case code (see the error reference); codes never change once published."),
            ["hint"] = Text("What to do about it."),
            ["traceId"] = Text("The request's trace id."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "On 400 only: field or parameter name → messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    public static JsonObject Example(ErrorDefinition error)
    {
        var body = new JsonObject
        {
            ["type"] = ApiProblem.DocsBase + error.DocsAnchor,
            ["title"] = error.Title,
            ["status"] = error.Status,
            ["code"] = error.Code,
            ["hint"] = error.Hint,
        };
        if (error == ErrorCatalog.ValidationFailed)
        {
            body["errors"] = new JsonObject { ["limit"] = new JsonArray("Must be between 1 and 100.") };
        }
        else if (error == ErrorCatalog.InvalidCursor)
        {
            body["errors"] = new JsonObject { ["cursor"] = new JsonArray("Not a cursor of this search.") };
        }
        body["traceId"] = ExampleTraceId;
        return body;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
