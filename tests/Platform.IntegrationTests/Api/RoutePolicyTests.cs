using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Authentication;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Every mapped endpoint names its authorization policy, or is public by design and on the allow-list.</summary>
public sealed class RoutePolicyTests(PlatformServers servers)
{
    [Fact]
    public async Task Every_mapped_endpoint_has_a_named_policy_or_is_an_allow_listed_anonymous_route()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        endpoints.Select(RoutePolicyRule.Describe).ShouldContain("GET /api/v1/runs/{runId:guid}");
        RoutePolicyRule.Violations(endpoints, RoutePolicyRule.AnonymousRoutes).ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_api_route_needs_a_scope_policy_except_who_am_i()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        var withoutScope = endpoints
            .Where(endpoint => endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .Select(endpoint => (Route: RoutePolicyRule.Describe(endpoint),
                Policies: endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(data => data.Policy).ToList()))
            .Where(route => !route.Policies.Any(policy => policy is not null
                && (AuthenticationSetup.ScopePolicies.ContainsKey(policy) || policy == PlatformAdminPolicy.Name)))
            .Select(route => route.Route);

        withoutScope.ShouldBe(["GET /api/v1/organization"]);
    }

    [Fact]
    public async Task Every_allow_listed_anonymous_route_exists_so_the_list_stays_short()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.Select(RoutePolicyRule.Describe).ToHashSet();

        RoutePolicyRule.AnonymousRoutes.Where(route => !mapped.Contains(route)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_newly_mapped_route_without_a_named_policy_is_flagged()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.MapGet("/api/v1/forgotten", () => "data");
        app.MapGet("/api/v1/default-policy-only", () => "data").RequireAuthorization();
        app.MapPost("/api/v1/anonymous-by-mistake", () => "data").AllowAnonymous();
        app.MapGet("/api/v1/protected", () => "data").RequireAuthorization(AuthenticationSetup.OrganizationMember);
        app.MapGet("/api/v1/status", () => "ok").AllowAnonymous();
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints);

        var violations = RoutePolicyRule.Violations(endpoints, RoutePolicyRule.AnonymousRoutes);

        violations.ShouldBe(
        [
            "GET /api/v1/forgotten: no explicit authorization policy",
            "GET /api/v1/default-policy-only: no explicit authorization policy",
            "POST /api/v1/anonymous-by-mistake: anonymous but not on the allow-list of public routes",
        ]);
    }
}
