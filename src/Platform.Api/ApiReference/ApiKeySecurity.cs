using Microsoft.OpenApi;
using Platform.Api.Authentication;

namespace Platform.Api.ApiReference;

/// <summary>The two ways to send an API key (<see cref="ApiKeyAuthenticationHandler"/>), as OpenAPI security schemes.</summary>
internal static class ApiKeySecurity
{
    public const string HeaderScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static void AddSchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An organization's API key (`plat_…`).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "plat_…",
            Description = "The same API key as `Authorization: Bearer plat_…`.",
        };
    }

    /// <summary>Either scheme will do: one requirement each (OpenAPI ORs the entries of <c>security</c>).</summary>
    public static List<OpenApiSecurityRequirement> Requirements(OpenApiDocument document) =>
    [
        new() { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] },
        new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
    ];
}
