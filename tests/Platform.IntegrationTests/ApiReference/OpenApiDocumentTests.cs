using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Catalog.History;
using Platform.Domain.Catalog.Search;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.ApiReference;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, its checked-in copy, and the Scalar reference at <c>/docs</c>.</summary>
public sealed partial class OpenApiDocumentTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_checked_in_openapi_document_matches_the_running_api()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var served = await FetchDocumentAsync(api);

        if (CheckedInOpenApiDocument.UpdateRequested)
        {
            await CheckedInOpenApiDocument.WriteAsync(served, Ct);
            TestContext.Current.SendDiagnosticMessage($"Wrote {CheckedInOpenApiDocument.FilePath}.");
        }
        File.Exists(CheckedInOpenApiDocument.FilePath).ShouldBeTrue(
            $"{CheckedInOpenApiDocument.FilePath} is missing. {CheckedInOpenApiDocument.HowToUpdate}");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(CheckedInOpenApiDocument.FilePath, Ct));

        var differences = CheckedInOpenApiDocument.Differences(checkedIn, served);

        differences.ShouldBeEmpty(
            $"docs/api/openapi.json has drifted from the running api. {CheckedInOpenApiDocument.HowToUpdate}\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task The_document_is_public_and_describes_every_api_v1_route()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var document = await FetchDocumentAsync(api);

        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal);
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                // A group's "" route keeps the group's trailing slash in its raw text; the document drops it.
                .Select(method => $"{method} {RouteConstraint().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/')}"))
            .Order(StringComparer.Ordinal);

        documented.ShouldBe(mapped);
    }

    [Fact]
    public async Task Every_operation_behind_a_key_names_both_key_schemes_and_its_problem_responses()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var document = await FetchDocumentAsync(api);

        var schemes = document["components"]!["securitySchemes"]!;
        schemes["ApiKey"]!["type"]!.GetValue<string>().ShouldBe("apiKey");
        schemes["ApiKey"]!["in"]!.GetValue<string>().ShouldBe("header");
        schemes["ApiKey"]!["name"]!.GetValue<string>().ShouldBe("X-API-Key");
        schemes["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        var problem = document["components"]!["schemas"]!["Problem"]!["properties"]!.AsObject();
        problem.Select(p => p.Key).ShouldBeSubsetOf(["type", "title", "status", "detail", "code", "hint", "traceId", "errors"]);
        problem.Select(p => p.Key).ShouldContain("errors");

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                if (path == "/api/v1/status")
                {
                    operation!["security"].ShouldBeNull(name);
                    continue;
                }
                operation!["security"]!.AsArray().Select(s => s!.AsObject().Single().Key).ShouldBe(["ApiKey", "Bearer"], name);
                var responses = operation["responses"]!.AsObject();
                foreach (var status in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    status.Value!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>()
                        .ShouldBe("#/components/schemas/Problem", $"{name} {status.Key}");
                }
                responses.Select(r => r.Key).ShouldContain("401", name);
                responses.Select(r => r.Key).ShouldContain("403", name);
            }
        }
        var search = document["paths"]!["/api/v1/diamonds"]!["get"]!["responses"]!["400"]!["content"]!["application/problem+json"]!["examples"]!;
        search.AsObject().Select(e => e.Key).ShouldBe(["VALIDATION_FAILED", "INVALID_CURSOR"], ignoreOrder: true);
        document["paths"]!["/api/v1/feeds/{feedId}/runs"]!["post"]!["responses"]!["409"]!["content"]!["application/problem+json"]!["examples"]!
            .AsObject().Select(e => e.Key).ShouldBe(["FEED_DISABLED", "RUN_ALREADY_ACTIVE"], ignoreOrder: true);
    }

    [Fact]
    public async Task Search_and_price_history_document_exactly_the_parameters_their_parsers_accept()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var document = await FetchDocumentAsync(api);

        Names(document["paths"]!["/api/v1/diamonds"]!["get"]!).ShouldBe(DiamondSearchParser.Parameters);
        Names(document["paths"]!["/api/v1/diamonds/{id}/price-history"]!["get"]!).ShouldBe(["id", .. PriceHistoryQuery.Parameters]);

        static List<string> Names(JsonNode operation) => [.. operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())];
    }

    [Fact]
    public async Task The_interactive_reference_at_docs_is_a_public_html_page_over_the_document()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        using var client = api.Factory.CreateClient();

        var page = await client.GetAsync("/docs", Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("openapi/v1.json");
        // The page's script is served by the api itself: no CDN, so the reference works offline and under a strict CSP.
        (await client.GetAsync("/docs/scalar.js", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The document as an anonymous caller gets it (it is public, like <c>/api/v1/status</c>).</summary>
    private static async Task<JsonNode> FetchDocumentAsync(TwoTenantApi api)
    {
        using var client = api.Factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    /// <summary><c>{id:guid}</c> in a route is <c>{id}</c> in the document.</summary>
    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex RouteConstraint();
}
