using System.Security.Claims;
using GraphQL;
using Platform.Api.Authentication;

namespace Platform.Api.GraphQl;

/// <summary>What resolvers read from the request: the caller's organization and the request's services.</summary>
public static class ResolveContextExtensions
{
    /// <summary>The caller's organization; the route's policy guarantees the claim, so every read is tenant-scoped.</summary>
    public static Guid OrgId(this IResolveFieldContext context) => (context.User ?? new ClaimsPrincipal()).OrgId();

    public static T Service<T>(this IResolveFieldContext context) where T : notnull => context.RequestServices!.GetRequiredService<T>();

    /// <summary>An <c>ID</c> argument as a UUID, or null when it is not one (such an id cannot name anything of ours).</summary>
    public static Guid? IdArgument(this IResolveFieldContext context, string name) =>
        Guid.TryParse(context.GetArgument<string?>(name), out var id) ? id : null;
}
