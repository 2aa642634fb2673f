using Microsoft.AspNetCore.Authentication;
using Platform.Domain.Tenancy;

namespace Platform.Api.Authentication;

public static class AuthenticationSetup
{
    /// <summary>Any valid key of an organization.</summary>
    public const string OrganizationMember = "organization-member";

    /// <summary>Starts and steers runs: scope <c>pipeline:admin</c>.</summary>
    public const string PipelineAdmin = "pipeline-admin";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OrganizationMember, policy => policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.OrgId))
            .AddPolicy(PipelineAdmin, policy => policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.OrgId)
                .RequireClaim(PlatformClaims.Scope, Scopes.PipelineAdmin, Scopes.Admin));
        return services;
    }
}
