using System.Security.Claims;
using Platform.Domain.Tenancy;

namespace Platform.Api.Authentication;

public static class ScopeClaims
{
    /// <summary>
    /// True when the caller's key may act with <paramref name="scope"/> (<c>admin</c> implies the organization scopes).
    /// The authorization policies use it, and so can code that checks a scope per field, e.g. a GraphQL mutation.
    /// </summary>
    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        Scopes.Grants(user.FindAll(PlatformClaims.Scope).Select(claim => claim.Value), scope);

    /// <summary>The scopes the key holds, as issued (implied scopes are not expanded).</summary>
    public static IReadOnlyList<string> HeldScopes(this ClaimsPrincipal user) =>
        user.FindAll(PlatformClaims.Scope).Select(claim => claim.Value).ToList();

    /// <summary>The audit actor of the calling key: <c>key:&lt;id&gt;</c>.</summary>
    public static string AuditActor(this ClaimsPrincipal user) => "key:" + user.FindFirstValue(PlatformClaims.KeyId);
}
