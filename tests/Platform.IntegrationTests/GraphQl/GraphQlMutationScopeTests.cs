using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.GraphQl;
using Platform.Domain.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// The GraphQL side of RoutePolicyTests: every mutation names the scope it needs (ScopeRequirement, which also enforces
/// it). A new mutation without one fails here instead of being open to every key of the organization.
/// </summary>
public sealed class GraphQlMutationScopeTests(PlatformServers servers)
{
    [Fact]
    public async Task Every_mutation_requires_a_known_organization_scope()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var schema = api.Factory.Services.GetRequiredService<ISchema>();
        schema.Initialize();

        var mutations = schema.Mutation.ShouldNotBeNull().Fields.ToList();

        mutations.ShouldNotBeEmpty();
        mutations.Select(f => (f.Name, Scope: f.RequiredScope()))
            .Where(m => m.Scope is null || !Scopes.Organization.Contains(m.Scope))
            .ShouldBeEmpty("every mutation needs .RequireScope(…) with an organization scope");
        mutations.Select(f => f.Name).ShouldBeSubsetOf(["triggerRun", "retryFailedPartitions", "createPricingRule", "updatePricingRule", "holdDiamond"]);
    }
}
