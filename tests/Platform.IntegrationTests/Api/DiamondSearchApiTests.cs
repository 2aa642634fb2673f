using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Infrastructure.Catalog;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary><c>GET /api/v1/diamonds</c> over stones seeded straight into the catalog: filters, sorts, keyset pages and totals.</summary>
public sealed class DiamondSearchApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>240 stones with few distinct values per key, so every sort has long runs of ties.</summary>
    private static List<SeedStone> TiedStones()
    {
        var random = new Random(7);
        string[] shapes = ["ROUND", "OVAL", "PEAR"];
        string?[] colors = ["D", "E", "G", "K", null];
        string?[] clarities = ["IF", "VS1", "VS2", "SI1", "XX"];
        return Enumerable.Range(0, 240).Select(i => new SeedStone
        {
            Shape = shapes[random.Next(shapes.Length)],
            Carats = 0.5m + (random.Next(4) * 0.25m),
            Color = colors[random.Next(colors.Length)],
            Clarity = clarities[random.Next(clarities.Length)],
            Cut = random.Next(3) == 0 ? "VG" : "EX",
            LabGrown = random.Next(2) == 0,
            RetailPrice = 1000m + (random.Next(6) * 250m),
            Availability = random.Next(5) == 0 ? "on_hold" : "available",
            CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(8)).AddTicks(random.Next(3) * 10),
        }).ToList();
    }

    public static TheoryData<string> Sorts => new()
    {
        "sort=createdAt", "sort=createdAt&order=asc", "sort=price&order=asc", "sort=price&order=desc", "sort=carats",
        "sort=carats&order=desc", "sort=color", "sort=color&order=desc", "sort=clarity", "sort=clarity&order=desc",
    };

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Paging_with_cursors_returns_every_stone_once_in_sort_order_including_ties(string sort)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = TiedStones();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones);
        await CatalogSeed.InsertAsync(api.Database, api.B, TiedStones());

        var (ids, totals) = await DiamondPaging.ReadAllAsync(api.ClientWith(api.A.ReaderKey), sort + "&limit=7");

        ids.ShouldBe(Expected(stones, sort));
        totals.ShouldAllBe(total => total == stones.Count);
    }

    /// <summary>A grade sort filtered on that grade pages over a range of ranks (one rank: by id alone), see DiamondSearchSql.</summary>
    public static TheoryData<string> GradeSortsWithGradeFilters => new()
    {
        "sort=color&color=G", "sort=color&color=D,E&order=desc", "sort=color&color=D,G", "sort=clarity&clarity=VS1,VS2",
        "sort=clarity&clarity=IF,SI1&order=desc", "sort=clarity&clarity=VS1&order=desc",
    };

    [Theory]
    [MemberData(nameof(GradeSortsWithGradeFilters))]
    public async Task A_grade_sort_filtered_on_that_grade_pages_over_exactly_the_matching_stones(string query)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = TiedStones();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones);
        var filter = query.Split('&')[1];
        var grades = filter.Split('=')[1].Split(',');
        var matching = stones.Where(s => grades.Contains(filter.StartsWith("color", StringComparison.Ordinal) ? s.Color : s.Clarity)).ToList();

        var (ids, totals) = await DiamondPaging.ReadAllAsync(api.ClientWith(api.A.ReaderKey), query + "&limit=7");

        matching.Count.ShouldBeGreaterThan(14);
        ids.ShouldBe(Expected(matching, query));
        totals.ShouldAllBe(total => total == matching.Count);
    }

    [Fact]
    public async Task Filters_select_exactly_the_matching_active_stones()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = TiedStones();
        var deleted = new SeedStone { Status = "deleted" };
        await CatalogSeed.InsertAsync(api.Database, api.A, [.. stones, deleted]);
        var client = api.ClientWith(api.A.ReaderKey);
        var cases = new (string Query, Func<SeedStone, bool> Match)[]
        {
            ("shape=OVAL", s => s.Shape == "OVAL"),
            ("shape=oval,pear", s => s.Shape is "OVAL" or "PEAR"),
            ("color=D&color=E", s => s.Color is "D" or "E"),
            ("color[]=K&clarity[]=VS1&clarity[]=VS2", s => s.Color == "K" && s.Clarity is "VS1" or "VS2"),
            ("cut=VG&labGrown=true", s => s.Cut == "VG" && s.LabGrown),
            ("caratMin=0.75&caratMax=1.0", s => s.Carats is >= 0.75m and <= 1.0m),
            ("priceMin=1250&priceMax=1500", s => s.RetailPrice is >= 1250m and <= 1500m),
            ("availability=on_hold", s => s.Availability == "on_hold"),
            ("polish=EX&symmetry=EX&fluorescence=NONE", _ => true),
            ("polish=VG", _ => false),
            ($"feedId={api.A.FeedId}", _ => true),
            ($"feedId={api.B.FeedId}", _ => false),
        };

        foreach (var (query, match) in cases)
        {
            var (ids, totals) = await DiamondPaging.ReadAllAsync(client, query + "&limit=100");
            var expected = stones.Where(match).Select(s => s.Id).ToHashSet();
            ids.ToHashSet().SetEquals(expected).ShouldBeTrue($"{query}: got {ids.Count}, expected {expected.Count}");
            ids.Count.ShouldBe(expected.Count, query);
            totals[0].ShouldBe(expected.Count, query);
        }
    }

    [Fact]
    public async Task The_default_is_newest_first_50_per_page_with_an_exact_total()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = Enumerable.Range(0, 60).Select(i => new SeedStone { CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i) }).ToList();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones);

        var body = await api.ClientWith(api.A.ReaderKey).GetFromJsonAsync<JsonElement>("/api/v1/diamonds", Ct);

        var items = body.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("id").GetGuid()).ShouldBe(stones.OrderByDescending(s => s.CreatedAt).Take(50).Select(s => s.Id));
        body.GetProperty("total").GetInt64().ShouldBe(60);
        body.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
        body.GetProperty("nextCursor").GetString().ShouldNotBeNullOrEmpty();
        var first = items[0];
        first.GetProperty("retailPrice").GetDecimal().ShouldBe(1000m);
        first.GetProperty("shape").GetString().ShouldBe("ROUND");
        first.GetProperty("availability").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_stone_has_no_next_cursor()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(_ => new SeedStone()));

        var body = await api.ClientWith(api.A.ReaderKey).GetFromJsonAsync<JsonElement>("/api/v1/diamonds?limit=5", Ct);

        body.GetProperty("items").GetArrayLength().ShouldBe(5);
        body.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task Limits_1_and_100_are_accepted(int limit)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 101).Select(_ => new SeedStone()));

        var body = await api.ClientWith(api.A.ReaderKey).GetFromJsonAsync<JsonElement>($"/api/v1/diamonds?limit={limit}", Ct);

        body.GetProperty("items").GetArrayLength().ShouldBe(limit);
    }

    [Fact]
    public async Task Beyond_10000_matches_the_total_is_an_estimate_and_below_it_exact()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.GenerateAsync(api.Database, api.A, 12_000);
        var client = api.ClientWith(api.A.ReaderKey);

        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?limit=1", Ct);
        var few = await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?limit=1&shape=HEART", Ct);

        all.GetProperty("totalIsEstimate").GetBoolean().ShouldBeTrue();
        all.GetProperty("total").GetInt64().ShouldBeGreaterThan(10_000);
        few.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
        few.GetProperty("total").GetInt64().ShouldBe(1_000);
    }

    [Fact]
    public async Task Far_beyond_10000_matches_the_estimate_answers_alone_and_a_first_page_holding_every_match_is_exact()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.GenerateAsync(api.Database, api.A, 50_000);
        var client = api.ClientWith(api.A.ReaderKey);

        // 50 000 matches: the planner's estimate (≥ 4 × 10 000) settles it without the capped count.
        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?limit=1", Ct);
        // 4 167 HEART stones, all on one page of 100 after a price floor leaves a handful.
        var heartsOver = await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?limit=100&shape=HEART&priceMin=99000", Ct);
        var expectedHearts = await api.Database.CreateCommand(
            $"SELECT count(*) FROM diamonds WHERE org_id = '{api.A.OrgId}' AND shape = 'HEART' AND retail_price >= 99000").ExecuteScalarAsync(Ct);

        all.GetProperty("totalIsEstimate").GetBoolean().ShouldBeTrue();
        all.GetProperty("total").GetInt64().ShouldBeInRange(SearchTotal.EstimateTrustedFrom, 60_000);
        heartsOver.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
        heartsOver.GetProperty("total").GetInt64().ShouldBe((long)expectedHearts!);
        heartsOver.GetProperty("items").GetArrayLength().ShouldBe((int)(long)expectedHearts!);
    }

    [Fact]
    public async Task The_cursor_does_not_depend_on_the_limit_so_page_size_may_change_between_pages()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = TiedStones();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones);
        var client = api.ClientWith(api.A.ReaderKey);

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds?sort=price&limit=10", Ct);
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds?sort=price&limit=25&cursor={Uri.EscapeDataString(cursor)}", Ct);

        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetGuid());
        ids.ShouldBe(Expected(stones, "sort=price").Take(35));
    }

    [Fact]
    public async Task A_key_without_organization_or_no_key_is_refused()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.Factory.CreateClient().GetAsync("/api/v1/diamonds", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    /// <summary>The order the API promises: sort key (grades by rank), then id, both in the requested direction.</summary>
    private static List<Guid> Expected(IEnumerable<SeedStone> stones, string sort)
    {
        var descending = sort.Contains("order=desc", StringComparison.Ordinal) || (sort.StartsWith("sort=createdAt", StringComparison.Ordinal) && !sort.Contains("order=asc", StringComparison.Ordinal));
        Func<SeedStone, IComparable> key = sort.Split('&')[0] switch
        {
            "sort=price" => s => s.RetailPrice,
            "sort=carats" => s => s.Carats,
            "sort=color" => s => s.ColorRank,
            "sort=clarity" => s => s.ClarityRank,
            _ => s => s.CreatedAt,
        };
        var ordered = descending
            ? stones.OrderByDescending(key).ThenByDescending(s => DiamondPaging.IdOrder(s.Id), StringComparer.Ordinal)
            : stones.OrderBy(key).ThenBy(s => DiamondPaging.IdOrder(s.Id), StringComparer.Ordinal);
        return ordered.Select(s => s.Id).ToList();
    }
}
