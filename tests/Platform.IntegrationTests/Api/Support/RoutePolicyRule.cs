using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>
/// The rule every endpoint must meet: a named authorization policy, or anonymous access and a place on the allow-list.
/// <c>RequireAuthorization()</c> without a policy name does not count: the default policy says nothing about tenancy or scope.
/// </summary>
internal static class RoutePolicyRule
{
    /// <summary>The routes that are public by design (PLATFORM.md §6): status, probes, metrics and the API reference.</summary>
    public static readonly IReadOnlySet<string> AnonymousRoutes = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET /api/v1/status",
        "* /health/live",
        "* /health/ready",
        "* /metrics",
        "GET /openapi/{documentName}.json",
        "GET /docs/{documentName?}",
        "GET /docs/scalar.js",
        "GET /docs/scalar.aspnetcore.js",
        "GET /docs/favicon.svg",
    };

    /// <summary>One line per endpoint that breaks the rule, naming the route and what is missing.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<Endpoint> endpoints, IReadOnlySet<string> anonymousRoutes)
    {
        var violations = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = Describe(endpoint);
            var metadata = endpoint.Metadata;
            if (metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!anonymousRoutes.Contains(route))
                {
                    violations.Add($"{route}: anonymous but not on the allow-list of public routes");
                }
                continue;
            }
            var hasNamedPolicy = metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => !string.IsNullOrWhiteSpace(data.Policy))
                || metadata.GetMetadata<AuthorizationPolicy>() is not null;
            if (!hasNamedPolicy)
            {
                violations.Add($"{route}: no explicit authorization policy");
            }
        }
        return violations;
    }

    /// <summary><c>GET /api/v1/runs/{runId:guid}</c>; <c>*</c> when the endpoint answers every method.</summary>
    public static string Describe(Endpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        var method = methods is { Count: > 0 } ? string.Join(",", methods) : "*";
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "(unnamed endpoint)";
        return $"{method} {pattern}";
    }
}
