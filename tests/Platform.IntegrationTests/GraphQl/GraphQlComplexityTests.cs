using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.GraphQl;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>The complexity budget (GraphQl:MaxComplexity): refused before execution with GRAPHQL_TOO_COMPLEX and both numbers.</summary>
public sealed class GraphQlComplexityTests(PlatformServers servers)
{
    private const string EveryDiamondField = """
        id feedId supplierStoneId offerId shape carats color clarity cut polish symmetry fluorescence labGrown retailPrice feedPrice
        pricePerCarat markupRatio rating availability certificateLab certificateNumber imageUrl videoUrl supplierName sourceUpdatedAt
        createdAt updatedAt feed { id name }
        """;

    [Fact]
    public async Task A_full_page_of_every_diamond_field_fits_the_default_budget_but_a_page_of_pages_does_not()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, [new SeedStone()]);
        var client = api.ClientWith(api.A.ReaderKey);

        var fullPage = await GraphQlClient.PostAsync(client,
            $"{{ diamonds(first: 100) {{ edges {{ cursor node {{ {EveryDiamondField} }} }} nodes {{ {EveryDiamondField} }} pageInfo {{ hasNextPage endCursor }} totalCount }} }}");
        var pageOfPages = await GraphQlClient.PostAsync(client,
            "{ diamonds(first: 100) { nodes { id priceHistory(first: 100) { nodes { id newRetailPrice changedAt } } } } }");

        fullPage.Status.ShouldBe(HttpStatusCode.OK, fullPage.Body.ToString());
        fullPage.Codes.ShouldBeEmpty();
        pageOfPages.Status.ShouldBe(HttpStatusCode.BadRequest);
        pageOfPages.Codes.ShouldBe(["GRAPHQL_TOO_COMPLEX"]);
        pageOfPages.Body.TryGetProperty("data", out _).ShouldBeFalse("a refused document does not run");
        var extensions = pageOfPages.Body.GetProperty("errors")[0].GetProperty("extensions");
        extensions.GetProperty("maxComplexity").GetInt32().ShouldBe(10_000);
        extensions.GetProperty("complexity").GetDouble().ShouldBeGreaterThan(10_000);
    }

    [Fact]
    public async Task The_budget_is_configurable_and_counts_connections_by_first()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["GraphQl:MaxComplexity"] = "50" });
        var client = api.ClientWith(api.A.ReaderKey);

        // diamonds + nodes + 3 fields per node: 2 + 3 × first.
        var small = await GraphQlClient.PostAsync(client, "{ diamonds(first: 10) { nodes { id shape carats } } }");
        var large = await GraphQlClient.PostAsync(client, "{ diamonds(first: 20) { nodes { id shape carats } } }");
        var largeByVariable = await GraphQlClient.PostAsync(client,
            "query($first: Int) { diamonds(first: $first) { nodes { id shape carats } } }", new { first = 20 });

        small.Status.ShouldBe(HttpStatusCode.OK, small.Body.ToString());
        large.Codes.ShouldBe(["GRAPHQL_TOO_COMPLEX"]);
        large.FirstMessage.ShouldContain("at most 50");
        largeByVariable.Codes.ShouldBe(["GRAPHQL_TOO_COMPLEX"]);
    }

    [Fact]
    public async Task A_document_validated_once_is_still_held_to_the_budget_and_its_variables_on_every_request()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["GraphQl:MaxComplexity"] = "50" });
        var client = api.ClientWith(api.A.ReaderKey);
        const string document = "query($first: Int) { diamonds(first: $first) { nodes { id shape carats } } }";

        // The first request validates the document and caches it; the others reuse it with other variables.
        var small = await GraphQlClient.PostAsync(client, document, new { first = 10 });
        var again = await GraphQlClient.PostAsync(client, document, new { first = 5 });
        var large = await GraphQlClient.PostAsync(client, document, new { first = 20 });
        var badVariable = await GraphQlClient.PostAsync(client, document, new { first = "ten" });

        small.Status.ShouldBe(HttpStatusCode.OK, small.Body.ToString());
        api.Factory.Services.GetRequiredService<ValidatedDocumentCache>().Find(document).ShouldNotBeNull("the validated document is cached");
        again.Status.ShouldBe(HttpStatusCode.OK, again.Body.ToString());
        again.Codes.ShouldBeEmpty();
        large.Codes.ShouldBe(["GRAPHQL_TOO_COMPLEX"]);
        badVariable.Status.ShouldBe(HttpStatusCode.BadRequest);
        badVariable.Codes.ShouldHaveSingleItem().ShouldNotBe("GRAPHQL_TOO_COMPLEX");
        badVariable.Body.TryGetProperty("data", out _).ShouldBeFalse("a request whose variables do not coerce does not run");
    }
}
