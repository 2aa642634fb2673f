using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary><c>/graphql</c> over the test server: the catalog queries, GraphQL over HTTP (methods, media types, status codes) and the limits.</summary>
public sealed class GraphQlApiTests(PlatformServers servers)
{
    private const string SearchQuery = """
        query Search($where: DiamondFilter, $after: String) {
          diamonds(where: $where, order: { field: PRICE, direction: ASC }, first: 3, after: $after) {
            edges { cursor node { id retailPrice shape } }
            nodes { id }
            pageInfo { hasNextPage endCursor }
            totalCount
          }
        }
        """;

    [Fact]
    public async Task Diamonds_filters_and_pages_to_the_end_with_after()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var rounds = Enumerable.Range(0, 7).Select(i => new SeedStone { RetailPrice = 1000m + (i % 3 * 100m) }).ToList();
        await CatalogSeed.InsertAsync(api.Database, api.A, [.. rounds, new SeedStone { Shape = "OVAL" }, new SeedStone { RetailPrice = 5000m }]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone { RetailPrice = 1100m }]);
        var client = api.ClientWith(api.A.ReaderKey);

        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var response = await GraphQlClient.PostAsync(client, SearchQuery, new { where = new { shape = new[] { "ROUND" }, priceMax = 2000 }, after });
            response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
            var connection = response.Data.GetProperty("diamonds");
            connection.GetProperty("totalCount").GetInt32().ShouldBe(rounds.Count);
            var edges = connection.GetProperty("edges").EnumerateArray().ToList();
            seen.AddRange(edges.Select(edge => edge.GetProperty("node").GetProperty("id").GetGuid()));
            connection.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetGuid())
                .ShouldBe(edges.Select(edge => edge.GetProperty("node").GetProperty("id").GetGuid()));
            pages++;
            var pageInfo = connection.GetProperty("pageInfo");
            if (!pageInfo.GetProperty("hasNextPage").GetBoolean())
            {
                break;
            }
            after = pageInfo.GetProperty("endCursor").GetString();
            after.ShouldBe(edges[^1].GetProperty("cursor").GetString());
        }

        pages.ShouldBe(3);
        seen.ShouldBe(rounds.OrderBy(s => s.RetailPrice).ThenBy(s => s.Id).Select(s => s.Id));
    }

    [Fact]
    public async Task Diamond_by_id_is_null_for_another_organizations_stone()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var mine = new SeedStone { Color = "E", RetailPrice = 4321m };
        var theirs = new SeedStone();
        await CatalogSeed.InsertAsync(api.Database, api.A, [mine]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [theirs]);
        var client = api.ClientWith(api.A.ReaderKey);

        var found = await GraphQlClient.PostAsync(client, "query($id: ID!) { diamond(id: $id) { id color retailPrice labGrown createdAt } }", new { id = mine.Id });
        var other = await GraphQlClient.PostAsync(client, "query($id: ID!) { diamond(id: $id) { id } }", new { id = theirs.Id });

        found.Status.ShouldBe(HttpStatusCode.OK);
        found.Data.GetProperty("diamond").GetProperty("id").GetGuid().ShouldBe(mine.Id);
        found.Data.GetProperty("diamond").GetProperty("color").GetString().ShouldBe("E");
        found.Data.GetProperty("diamond").GetProperty("retailPrice").GetDecimal().ShouldBe(4321m);
        other.Status.ShouldBe(HttpStatusCode.OK);
        other.Data.GetProperty("diamond").ValueKind.ShouldBe(JsonValueKind.Null);
        other.Codes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_runs_queries_and_refuses_mutations_with_405()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.ReaderKey);

        var query = await GraphQlClient.GetAsync(client, "{ diamonds { totalCount } }");
        var mutation = await GraphQlClient.GetAsync(client, "mutation { holdDiamond }");

        query.Status.ShouldBe(HttpStatusCode.OK);
        query.Data.GetProperty("diamonds").GetProperty("totalCount").GetInt32().ShouldBe(0);
        mutation.Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
        mutation.Message.Content.Headers.Allow.ShouldBe(["POST"]);
        mutation.Codes.ShouldBe(["METHOD_NOT_ALLOWED"]);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json")]
    public async Task The_response_media_type_follows_accept(string? accept, string expected)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await GraphQlClient.SendAsync(api.ClientWith(api.A.ReaderKey), HttpMethod.Post, """{"query":"{ __typename }"}""", "application/json", accept);

        response.Status.ShouldBe(HttpStatusCode.OK);
        response.MediaType.ShouldBe(expected);
        response.Message.Content.Headers.ContentType!.CharSet.ShouldBe("utf-8");
        response.Data.GetProperty("__typename").GetString().ShouldBe("Query");
    }

    [Theory]
    [InlineData(GraphQlClient.GraphQlResponse, "{ diamonds { ", HttpStatusCode.BadRequest, "GRAPHQL_PARSE_FAILED")]
    [InlineData(GraphQlClient.GraphQlResponse, "{ noSuchField }", HttpStatusCode.BadRequest, "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("application/json", "{ diamonds { ", HttpStatusCode.OK, "GRAPHQL_PARSE_FAILED")]
    [InlineData("application/json", "{ noSuchField }", HttpStatusCode.OK, "GRAPHQL_VALIDATION_FAILED")]
    [InlineData(GraphQlClient.GraphQlResponse, "{ diamonds(first: 0) { totalCount } }", HttpStatusCode.OK, "VALIDATION_FAILED")]
    [InlineData(GraphQlClient.GraphQlResponse, "{ diamonds(where: { color: [\"ZZ\"] }) { totalCount } }", HttpStatusCode.OK, "VALIDATION_FAILED")]
    [InlineData(GraphQlClient.GraphQlResponse, "{ diamonds(after: \"forged\") { totalCount } }", HttpStatusCode.OK, "INVALID_CURSOR")]
    public async Task Errors_have_a_code_and_the_status_of_their_media_type(string accept, string query, HttpStatusCode status, string code)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), query, accept: accept);

        response.Status.ShouldBe(status, response.Body.ToString());
        response.Codes.ShouldBe([code], response.Body.ToString());
        if (status == HttpStatusCode.BadRequest)
        {
            // A request error never executes: no data entry at all (GraphQL over HTTP).
            response.Body.TryGetProperty("data", out _).ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData("{\"query\": ", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("[]", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("{\"query\": 7}", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": [1]}", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("{\"query\": \"{ __typename }\", \"operationName\": 3}", "application/json", HttpStatusCode.BadRequest, "VALIDATION_FAILED")]
    [InlineData("{\"query\": \"{ __typename }\"}", "text/plain", HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")]
    [InlineData("query={ __typename }", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")]
    public async Task Malformed_requests_are_400_and_other_content_types_415(string body, string contentType, HttpStatusCode status, string code)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await GraphQlClient.SendAsync(api.ClientWith(api.A.ReaderKey), HttpMethod.Post, body, contentType, "application/json");

        response.Status.ShouldBe(status);
        response.Codes.ShouldBe([code]);
    }

    [Fact]
    public async Task A_document_over_the_size_limit_is_413_and_a_too_deep_one_is_refused()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["GraphQl:MaxDepth"] = "3" });
        var client = api.ClientWith(api.A.ReaderKey);
        var huge = "{ __typename " + new string(' ', 17 * 1024) + "}";

        var tooLarge = await GraphQlClient.PostAsync(client, huge);
        var tooDeep = await GraphQlClient.PostAsync(client, "{ diamonds { edges { node { id } } } }");
        var shallow = await GraphQlClient.PostAsync(client, "{ diamonds { nodes { id } } }");

        tooLarge.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        tooLarge.Codes.ShouldBe(["PAYLOAD_TOO_LARGE"]);
        tooDeep.Status.ShouldBe(HttpStatusCode.BadRequest, tooDeep.Body.ToString());
        tooDeep.Codes.ShouldBe(["GRAPHQL_VALIDATION_FAILED"]);
        shallow.Status.ShouldBe(HttpStatusCode.OK, shallow.Body.ToString());
    }

    [Fact]
    public async Task Introspection_is_off_outside_development_unless_enabled()
    {
        await using var off = await TwoTenantApi.StartAsync(servers);
        await using var on = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["GraphQl:EnableIntrospection"] = "true" });
        const string query = "{ __schema { queryType { name } } }";

        var refused = await GraphQlClient.PostAsync(off.ClientWith(off.A.ReaderKey), query);
        var answered = await GraphQlClient.PostAsync(on.ClientWith(on.A.ReaderKey), query);

        refused.Codes.ShouldBe(["GRAPHQL_VALIDATION_FAILED"]);
        answered.Data.GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString().ShouldBe("Query");
    }

    [Fact]
    public async Task The_standard_introspection_query_fits_the_default_limits()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["GraphQl:EnableIntrospection"] = "true" });

        // graphql-js's getIntrospectionQuery(), as GraphiQL and code generators send it.
        var response = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), IntrospectionQuery);

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
        response.Data.GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString().ShouldBe("Query");
    }

    private const string IntrospectionQuery = """
            query IntrospectionQuery {
              __schema {

                queryType { name kind }
                mutationType { name kind }
                subscriptionType { name kind }
                types {
                  ...FullType
                }
                directives {
                  name
                  description

                  locations
                  args {
                    ...InputValue
                  }
                }
              }
            }

            fragment FullType on __Type {
              kind
              name
              description


              fields(includeDeprecated: true) {
                name
                description
                args {
                  ...InputValue
                }
                type {
                  ...TypeRef
                }
                isDeprecated
                deprecationReason
              }
              inputFields {
                ...InputValue
              }
              interfaces {
                ...TypeRef
              }
              enumValues(includeDeprecated: true) {
                name
                description
                isDeprecated
                deprecationReason
              }
              possibleTypes {
                ...TypeRef
              }
            }

            fragment InputValue on __InputValue {
              name
              description
              type { ...TypeRef }
              defaultValue


            }

            fragment TypeRef on __Type {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                        ofType {
                          kind
                          name
                          ofType {
                            kind
                            name
                            ofType {
                              kind
                              name
                              ofType {
                                kind
                                name
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }

        """;

    [Fact]
    public async Task Without_an_api_key_the_answer_is_401()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.Factory.CreateClient().PostAsync("/graphql", JsonContent.Create(new { query = "{ __typename }" }), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
