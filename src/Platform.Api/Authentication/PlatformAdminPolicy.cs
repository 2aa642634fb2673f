using Platform.Domain.Tenancy;

namespace Platform.Api.Authentication;

/// <summary>The platform operator's routes (<c>/api/v1/admin/…</c>): scope <c>platform:admin</c>, held only by operator keys.</summary>
public static class PlatformAdminPolicy
{
    public const string Name = "platform-admin";

    public static IServiceCollection AddPlatformAdminPolicy(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Name, policy => policy.RequireAuthenticatedUser().RequireClaim(PlatformClaims.Scope, Scopes.PlatformAdmin));
        return services;
    }
}
