using Microsoft.AspNetCore.Authentication;

namespace Platform.Api.Authentication;

public static class AuthenticationSetup
{
    /// <summary>Any valid key of an organization.</summary>
    public const string OrganizationMember = "organization-member";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OrganizationMember, policy => policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.OrgId));
        return services;
    }
}
