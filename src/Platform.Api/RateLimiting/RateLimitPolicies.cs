using Microsoft.AspNetCore.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>The named policies and the conventions that attach them to routes.</summary>
public static class RateLimitPolicies
{
    public const string Public = "public";
    public const string CatalogRead = "catalog-read";
    public const string CatalogWrite = "catalog-write";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Public, CatalogRead, CatalogWrite, Admin];

    /// <summary>
    /// <c>catalog-read</c> for GET and HEAD, <c>catalog-write</c> for everything else, on every endpoint of the group
    /// that did not name a policy itself (a POST that only reads, such as a batch get, names <c>catalog-read</c>).
    /// Applied last, so the endpoint's HTTP methods are known.
    /// </summary>
    public static TBuilder RateLimitedByMethod<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<EnableRateLimitingAttribute>().Any())
            {
                return;
            }
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            var readOnly = methods.Count > 0 && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
            endpoint.Metadata.Add(new EnableRateLimitingAttribute(readOnly ? CatalogRead : CatalogWrite));
        });
        return builder;
    }
}
