using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Authentication;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Every scope policy against a key of every single scope: without the scope 403 FORBIDDEN, with it (or with
/// <c>admin</c>) 2xx — over HTTP for a route of each policy, and through the authorization service for all policies.
/// </summary>
public sealed class ScopeMatrixTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A route of each policy, and the scope it needs (null: any key of the organization).</summary>
    private static readonly (string? Scope, HttpMethod Method, string Path, Func<HttpContent?> Body)[] Routes =
    [
        (Scopes.CatalogRead, HttpMethod.Get, "/api/v1/diamonds", () => null),
        (Scopes.CatalogRead, HttpMethod.Post, "/api/v1/diamonds:batchGet", () => JsonContent.Create(new { ids = new[] { Guid.NewGuid() } })),
        (Scopes.CatalogRead, HttpMethod.Get, "/api/v1/exports/diamonds", () => null),
        (Scopes.CatalogRead, HttpMethod.Get, "/api/v1/analytics/inventory", () => null),
        (Scopes.CatalogRead, HttpMethod.Post, "/graphql", () => JsonContent.Create(new { query = "{ __typename }" })),
        (Scopes.PipelineAdmin, HttpMethod.Get, "/api/v1/runs", () => null),
        (Scopes.PipelineAdmin, HttpMethod.Get, "/api/v1/pricing-rules", () => null),
        (Scopes.PipelineAdmin, HttpMethod.Get, "/api/v1/feeds", () => null),
        (Scopes.Admin, HttpMethod.Get, "/api/v1/api-keys", () => null),
        (Scopes.Admin, HttpMethod.Get, "/api/v1/audit-log", () => null),
        (Scopes.Admin, HttpMethod.Get, "/api/v1/alerts/rules", () => null),
        (null, HttpMethod.Get, "/api/v1/organization", () => null),
    ];

    [Fact]
    public async Task Each_route_answers_403_to_a_key_without_its_scope_and_2xx_to_a_key_with_it()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var keys = await SingleScopeKeysAsync(api);
        var mismatches = new List<string>();

        foreach (var (keyScope, token) in keys)
        {
            var client = api.ClientWith(token);
            foreach (var (scope, method, path, body) in Routes)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = body() }, Ct);
                var allowed = scope is null || Scopes.Grants([keyScope], scope);
                var ok = allowed ? response.IsSuccessStatusCode : response.StatusCode == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    mismatches.Add($"{keyScope} {method} {path}: {(int)response.StatusCode}");
                }
                else if (!allowed)
                {
                    await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
                }
            }
        }

        mismatches.ShouldBeEmpty();
    }

    /// <summary>The operator routes (ADR 0030): every organization scope, <c>admin</c> included, is refused; <c>platform:admin</c> is let in.</summary>
    private static readonly (HttpMethod Method, string Path, Func<HttpContent?> Body)[] OperatorRoutes =
    [
        (HttpMethod.Get, "/api/v1/admin/errors", () => null),
        (HttpMethod.Get, "/api/v1/admin/errors/trends", () => null),
        (HttpMethod.Get, "/api/v1/admin/stats", () => null),
        (HttpMethod.Get, "/api/v1/admin/queues", () => null),
        (HttpMethod.Get, "/api/v1/admin/queues/ingest.page/dead-letters", () => null),
        (HttpMethod.Post, "/api/v1/admin/queues/ingest.page/dead-letters:replay", () => JsonContent.Create(new { all = true })),
    ];

    [Fact]
    public async Task Operator_routes_answer_403_to_every_organization_scope_and_2xx_to_platform_admin()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var keys = await SingleScopeKeysAsync(api);
        keys[Scopes.PlatformAdmin] = await api.OperatorKeyAsync();
        var mismatches = new List<string>();

        foreach (var (keyScope, token) in keys)
        {
            var client = api.ClientWith(token);
            foreach (var (method, path, body) in OperatorRoutes)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = body() }, Ct);
                var ok = keyScope == Scopes.PlatformAdmin ? response.IsSuccessStatusCode : response.StatusCode == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    mismatches.Add($"{keyScope} {method} {path}: {(int)response.StatusCode}");
                }
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_scope_policy_admits_exactly_its_scope_and_admin()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var authorization = api.Factory.Services.GetRequiredService<IAuthorizationService>();
        var orgId = Guid.NewGuid().ToString();

        foreach (var (policy, needed) in AuthenticationSetup.ScopePolicies)
        {
            foreach (var held in Scopes.Organization.Append(Scopes.PlatformAdmin))
            {
                var user = Principal(orgId, held);
                var result = await authorization.AuthorizeAsync(user, policy);
                result.Succeeded.ShouldBe(held == needed || (held == Scopes.Admin && needed != Scopes.PlatformAdmin), $"{policy} with {held}");
            }
            (await authorization.AuthorizeAsync(Principal(orgId: null, needed), policy)).Succeeded.ShouldBeFalse($"{policy} without an organization");
        }
        AuthenticationSetup.ScopePolicies.Values.Order().ShouldBe(Scopes.Organization.Order());
    }

    private static ClaimsPrincipal Principal(string? orgId, string scope)
    {
        var claims = new List<Claim> { new(PlatformClaims.KeyId, Guid.NewGuid().ToString()), new(PlatformClaims.Scope, scope) };
        if (orgId is not null)
        {
            claims.Add(new Claim(PlatformClaims.OrgId, orgId));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName));
    }

    private static async Task<Dictionary<string, string>> SingleScopeKeysAsync(TwoTenantApi api)
    {
        var store = api.Factory.Services.GetRequiredService<ApiKeyStore>();
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var keys = new Dictionary<string, string>();
        foreach (var scope in Scopes.Organization)
        {
            keys[scope] = (await store.CreateAsync(connection, transaction, api.A.OrgId, scope, [scope], null, "system:test", Ct)).Token;
        }
        await transaction.CommitAsync(Ct);
        return keys;
    }
}
