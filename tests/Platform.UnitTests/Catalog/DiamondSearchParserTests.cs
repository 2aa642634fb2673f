using Platform.Domain.Catalog.Search;

namespace Platform.UnitTests.Catalog;

public sealed class DiamondSearchParserTests
{
    private static (DiamondSearchCriteria Criteria, IDictionary<string, string[]> Errors) Parse(params (string Name, string? Value)[] query)
    {
        var (criteria, errors) = DiamondSearchParser.Parse(query.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Name, [p.Value])));
        return (criteria, errors.ToDictionary());
    }

    [Fact]
    public void No_parameters_mean_newest_first_50_per_page_without_filters()
    {
        var (criteria, errors) = Parse();

        errors.ShouldBeEmpty();
        criteria.ShouldBe(new DiamondSearchCriteria());
        criteria.Sort.ShouldBe(DiamondSort.CreatedAt);
        criteria.Descending.ShouldBeTrue();
        criteria.Limit.ShouldBe(50);
    }

    [Theory]
    [InlineData("price", null, false)]
    [InlineData("carats", null, false)]
    [InlineData("color", null, false)]
    [InlineData("createdAt", null, true)]
    [InlineData("createdat", "asc", false)]
    [InlineData("PRICE", "DESC", true)]
    public void Sort_and_order_are_read_case_insensitively_with_per_sort_defaults(string sort, string? order, bool descending)
    {
        var (criteria, errors) = Parse(("sort", sort), ("order", order));

        errors.ShouldBeEmpty();
        DiamondSorts.NameOf(criteria.Sort).ShouldBe(sort, StringCompareShould.IgnoreCase);
        criteria.Descending.ShouldBe(descending);
    }

    [Fact]
    public void Codes_are_normalised_deduplicated_and_sorted_from_repeats_commas_and_bracket_names()
    {
        var (criteria, errors) = Parse(("color[]", "e"), ("color", " D ,E"), ("shape", "round"), ("availability", "ON_HOLD"));

        errors.ShouldBeEmpty();
        criteria.Colors.ShouldBe(["D", "E"]);
        criteria.Shapes.ShouldBe(["ROUND"]);
        criteria.Availabilities.ShouldBe(["on_hold"]);
    }

    [Fact]
    public void Equivalent_queries_have_the_same_fingerprint_and_different_ones_do_not()
    {
        var a = Parse(("color", "E,D"), ("caratMin", "1.0"), ("sort", "price")).Criteria;
        var b = Parse(("color", "d"), ("color", "e"), ("caratMin", "1"), ("sort", "Price"), ("order", "asc"), ("limit", "7")).Criteria;
        var c = Parse(("color", "D,E"), ("caratMin", "1.01"), ("sort", "price")).Criteria;

        a.Fingerprint().ShouldBe(b.Fingerprint());
        a.Fingerprint().ShouldNotBe(c.Fingerprint());
    }

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("limit", "2147483648")]
    [InlineData("caratMin", "-0.01")]
    [InlineData("caratMax", "10000")]
    [InlineData("priceMin", "1,000")]
    [InlineData("priceMax", "99999999999")]
    [InlineData("priceMax", "1e5")]
    [InlineData("labGrown", "yes")]
    [InlineData("feedId", "123")]
    [InlineData("color", "CAPE")]
    [InlineData("clarity", "VS3")]
    [InlineData("cut", "ideal")]
    [InlineData("polish", "X")]
    [InlineData("symmetry", "X")]
    [InlineData("fluorescence", "X")]
    [InlineData("shape", "BLOB")]
    [InlineData("sort", "id")]
    [InlineData("order", "random")]
    [InlineData("bogus", "1")]
    public void An_invalid_value_is_an_error_on_its_field(string name, string value)
    {
        var (_, errors) = Parse((name, value));

        errors.Keys.ShouldBe([name]);
    }

    [Fact]
    public void Min_above_max_is_an_error_on_the_min()
    {
        var (_, errors) = Parse(("caratMin", "2"), ("caratMax", "1"), ("priceMin", "10"), ("priceMax", "9.99"));

        errors.Keys.Order().ShouldBe(["caratMin", "priceMin"]);
    }

    [Fact]
    public void A_repeated_single_value_parameter_and_an_overlong_value_are_errors()
    {
        var (_, errors) = Parse(("limit", "5"), ("limit", "6"), ("feedId", new string('x', 201)));

        errors.Keys.Order().ShouldBe(["feedId", "limit"]);
    }

    [Fact]
    public void More_than_25_values_in_a_list_is_an_error()
    {
        var (_, errors) = Parse(("color", string.Join(',', Enumerable.Repeat("D", 26))));

        errors.Keys.ShouldBe(["color"]);
    }

    [Fact]
    public void Batch_ids_are_validated_by_index_and_deduplicated_in_order()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        var (ids, errors) = DiamondIdList.Parse([second.ToString(), first.ToString(), second.ToString()]);
        var (_, bad) = DiamondIdList.Parse(["x", first.ToString(), null]);
        var (_, tooMany) = DiamondIdList.Parse(Enumerable.Range(0, 101).Select(_ => (string?)Guid.NewGuid().ToString()).ToList());
        var (_, none) = DiamondIdList.Parse(null);

        errors.IsEmpty.ShouldBeTrue();
        ids.ShouldBe([second, first]);
        bad.ToDictionary().Keys.Order().ShouldBe(["ids[0]", "ids[2]"]);
        tooMany.ToDictionary().Keys.ShouldBe(["ids"]);
        none.ToDictionary().Keys.ShouldBe(["ids"]);
    }
}
