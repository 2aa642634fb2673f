using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis;

/// <summary>"Who am I": the calling key's organization, its plan limits and the key's scopes.</summary>
public static class OrganizationApi
{
    public sealed record KeyInfo(Guid Id, string Name, IReadOnlyList<string> Scopes);

    public sealed record OrganizationResponse(
        Guid Id, string Slug, string Name, string Plan, OrganizationLimits Limits, KeyInfo Key, DateTimeOffset CreatedAt);

    public sealed record OrganizationLimits(int RunningCapacity, int QueuedCapacity, int RequestsPerMinuteRead, int RequestsPerMinuteWrite, int MaxFeeds, int RetentionDays);

    public static IEndpointRouteBuilder MapOrganizationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/organization", GetAsync)
            .RequireAuthorization(AuthenticationSetup.OrganizationMember)
            .RequireRateLimiting(RateLimitPolicies.CatalogRead)
            .WithName("GetOrganization").WithTags("Organization")
            .WithSummary("The calling key's organization")
            .WithDescription("The organization the API key belongs to, its plan limits, and the key's name and scopes.")
            .ProducesErrors(ErrorCatalog.NotFound);
        return routes;
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, OrganizationStore organizations, CancellationToken cancellationToken)
    {
        var orgId = Guid.Parse(user.FindFirstValue(PlatformClaims.OrgId)!);
        var org = await organizations.FindAsync(orgId, cancellationToken);
        if (org is null)
        {
            return ApiProblem.Result(ErrorCatalog.NotFound);
        }
        var key = new KeyInfo(Guid.Parse(user.FindFirstValue(PlatformClaims.KeyId)!), user.FindFirstValue(PlatformClaims.KeyName)!,
            user.FindAll(PlatformClaims.Scope).Select(c => c.Value).ToList());
        var limits = new OrganizationLimits(org.RunningCapacity, org.QueuedCapacity, org.RpmRead, org.RpmWrite, org.MaxFeeds, org.RetentionDays);
        return TypedResults.Ok(new OrganizationResponse(org.Id, org.Slug, org.Name, org.Plan, limits, key, org.CreatedAt));
    }
}
