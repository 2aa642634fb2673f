using System.Security.Claims;

namespace Platform.Api.Authentication;

public static class CallerOrganization
{
    /// <summary>The organization of the authenticated key (every tenant-scoped endpoint filters by it).</summary>
    public static Guid OrgId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(PlatformClaims.OrgId)!);
}
