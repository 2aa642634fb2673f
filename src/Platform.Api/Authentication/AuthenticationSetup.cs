using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Platform.Domain.Tenancy;

namespace Platform.Api.Authentication;

/// <summary>
/// The API key scheme and the named policies every route uses. Each policy needs a key of an organization and, except
/// <see cref="OrganizationMember"/>, one scope; <c>admin</c> implies the organization scopes (<see cref="ScopeClaims.HasScope"/>).
/// A key without the scope gets 403 FORBIDDEN.
/// </summary>
public static class AuthenticationSetup
{
    /// <summary>Any valid key of an organization ("who am I").</summary>
    public const string OrganizationMember = "organization-member";

    /// <summary>Catalog reads (diamonds, exports, analytics, GraphQL): scope <c>catalog:read</c>.</summary>
    public const string CatalogRead = "catalog-read";

    /// <summary>Catalog writes: scope <c>catalog:write</c>.</summary>
    public const string CatalogWrite = "catalog-write";

    /// <summary>Runs and pricing rules: scope <c>pipeline:admin</c>.</summary>
    public const string PipelineAdmin = "pipeline-admin";

    /// <summary>Webhook subscriptions: scope <c>webhooks:manage</c>.</summary>
    public const string WebhooksManage = "webhooks-manage";

    /// <summary>API keys and the audit log: scope <c>admin</c>.</summary>
    public const string Admin = "admin";

    /// <summary>Each scope policy and the scope it needs.</summary>
    public static IReadOnlyDictionary<string, string> ScopePolicies { get; } = new Dictionary<string, string>
    {
        [CatalogRead] = Scopes.CatalogRead,
        [CatalogWrite] = Scopes.CatalogWrite,
        [PipelineAdmin] = Scopes.PipelineAdmin,
        [WebhooksManage] = Scopes.WebhooksManage,
        [Admin] = Scopes.Admin,
    };

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<Signing.NonceReplayCache>();
        services.AddSingleton<Signing.RequestSignatureVerifier>();
        services.AddSingleton<ApiKeyRevocations>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRevocations>());
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsage>());
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(OrganizationMember, policy => policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.OrgId));
        foreach (var (name, scope) in ScopePolicies)
        {
            authorization.AddPolicy(name, policy => RequireScope(policy, scope));
        }
        return services;
    }

    private static void RequireScope(AuthorizationPolicyBuilder policy, string scope) =>
        policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.OrgId).RequireAssertion(context => context.User.HasScope(scope));
}
