using System.Text;
using System.Text.Json;

namespace Platform.Benchmarks.Search;

/// <summary>
/// The fixed request mix of <c>./bench.sh search</c>: 70 % filtered searches (ten shapes of query, first pages) and 30 %
/// detail reads of sampled stones, in a deterministic order per connection. Each search exists as a REST query string
/// and as the equivalent GraphQL <c>where</c>/<c>order</c>, selecting the same fields REST returns.
/// </summary>
public sealed class SearchMix(Guid orgId, IReadOnlyList<Guid> detailIds)
{
    /// <summary>
    /// One search as a REST query string, as our GraphQL <c>where</c>/<c>order</c>, and as PostGraphile's connection
    /// <c>filter</c>/<c>orderBy</c> (organization and status are added there; grades sort as text in PostGraphile).
    /// </summary>
    public sealed record SearchCase(string Query, object Where, object? Order, Dictionary<string, object> PgFilter, string PgOrder);

    public static readonly IReadOnlyList<SearchCase> Searches =
    [
        new("shape=ROUND&sort=price&order=asc", new { shape = new[] { "ROUND" } }, new { field = "PRICE", direction = "ASC" },
            new() { ["shape"] = In("ROUND") }, "RETAIL_PRICE_ASC"),
        new("shape=OVAL&caratMin=1&caratMax=2", new { shape = new[] { "OVAL" }, caratMin = 1, caratMax = 2 }, null,
            new() { ["shape"] = In("OVAL"), ["carats"] = Range("1", "2") }, "CREATED_AT_DESC"),
        new("color=D,E&clarity=VS1", new { color = new[] { "D", "E" }, clarity = new[] { "VS1" } }, null,
            new() { ["color"] = In("D", "E"), ["clarity"] = In("VS1") }, "CREATED_AT_DESC"),
        new("priceMin=1000&priceMax=5000&sort=price", new { priceMin = 1000, priceMax = 5000 }, new { field = "PRICE" },
            new() { ["retailPrice"] = Range("1000", "5000") }, "RETAIL_PRICE_ASC"),
        new("sort=createdAt", new { }, new { field = "CREATED_AT" }, [], "CREATED_AT_DESC"),
        new("labGrown=true&shape=ROUND&sort=carats&order=desc", new { labGrown = true, shape = new[] { "ROUND" } }, new { field = "CARATS", direction = "DESC" },
            new() { ["labGrown"] = new { equalTo = true }, ["shape"] = In("ROUND") }, "CARATS_DESC"),
        new("shape=EMERALD&color=G&sort=color", new { shape = new[] { "EMERALD" }, color = new[] { "G" } }, new { field = "COLOR" },
            new() { ["shape"] = In("EMERALD"), ["color"] = In("G") }, "COLOR_ASC"),
        new("caratMin=2&sort=carats", new { caratMin = 2 }, new { field = "CARATS" },
            new() { ["carats"] = new { greaterThanOrEqualTo = "2" } }, "CARATS_ASC"),
        new("clarity=IF,FL&sort=clarity", new { clarity = new[] { "IF", "FL" } }, new { field = "CLARITY" },
            new() { ["clarity"] = In("IF", "FL") }, "CLARITY_ASC"),
        new("shape=PEAR&priceMax=3000", new { shape = new[] { "PEAR" }, priceMax = 3000 }, null,
            new() { ["shape"] = In("PEAR"), ["retailPrice"] = new { lessThanOrEqualTo = "3000" } }, "CREATED_AT_DESC"),
    ];

    private static object In(params string[] values) => new { @in = values };

    private static object Range(string min, string max) => new { greaterThanOrEqualTo = min, lessThanOrEqualTo = max };

    private const string Fields = """
        id feedId supplierStoneId offerId shape carats color clarity cut polish symmetry fluorescence labGrown retailPrice feedPrice
        pricePerCarat markupRatio rating availability certificateLab certificateNumber imageUrl videoUrl supplierName sourceUpdatedAt createdAt updatedAt
        """;

    private static readonly string SearchDocument =
        $"query Search($where: DiamondFilter, $order: DiamondOrder) {{ diamonds(where: $where, order: $order, first: 50) {{ totalCount totalIsEstimate pageInfo {{ hasNextPage endCursor }} nodes {{ {Fields} }} }} }}";

    private static readonly string DetailDocument = $"query Detail($id: ID!) {{ diamond(id: $id) {{ {Fields} }} }}";

    // PostGraphile's own total is an exact count(*), so it is not asked for; ours is capped at 10 000 and always computed.
    private static readonly string PgSearchDocument =
        $"query Search($filter: DiamondFilter, $orderBy: [DiamondsOrderBy!]) {{ allDiamonds(first: 50, filter: $filter, orderBy: $orderBy) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {Fields} }} }} }}";

    private static readonly string PgDetailDocument = $"query Detail($id: UUID!) {{ diamondById(id: $id) {{ {Fields} }} }}";

    /// <summary>The next REST request of a connection; its <paramref name="random"/> makes the sequence repeatable.</summary>
    public HttpRequestMessage Rest(Random random) => random.Next(10) < 7
        ? new HttpRequestMessage(HttpMethod.Get, "/api/v1/diamonds?" + Searches[random.Next(Searches.Count)].Query)
        : new HttpRequestMessage(HttpMethod.Get, $"/api/v1/diamonds/{detailIds[random.Next(detailIds.Count)]}");

    public HttpRequestMessage GraphQl(Random random)
    {
        object body;
        if (random.Next(10) < 7)
        {
            var search = Searches[random.Next(Searches.Count)];
            body = new { query = SearchDocument, variables = new { where = search.Where, order = search.Order } };
        }
        else
        {
            body = new { query = DetailDocument, variables = new { id = detailIds[random.Next(detailIds.Count)] } };
        }
        return GraphQlPost(body);
    }

    /// <summary>The same mix against PostGraphile 4: the connection-filter plugin's <c>filter</c>, the organization's active stones only.</summary>
    public HttpRequestMessage PostGraphile(Random random)
    {
        object body;
        if (random.Next(10) < 7)
        {
            var search = Searches[random.Next(Searches.Count)];
            var filter = new Dictionary<string, object>(search.PgFilter)
            {
                ["orgId"] = new { equalTo = orgId },
                ["status"] = new { equalTo = "active" },
            };
            body = new { query = PgSearchDocument, variables = new { filter, orderBy = new[] { search.PgOrder, "PRIMARY_KEY_ASC" } } };
        }
        else
        {
            body = new { query = PgDetailDocument, variables = new { id = detailIds[random.Next(detailIds.Count)] } };
        }
        return GraphQlPost(body);
    }

    private static HttpRequestMessage GraphQlPost(object body) => new(HttpMethod.Post, "/graphql")
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
}
