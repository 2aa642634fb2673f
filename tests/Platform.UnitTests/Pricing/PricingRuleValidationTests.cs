using Platform.Domain.Pricing;

namespace Platform.UnitTests.Pricing;

public sealed class PricingRuleValidationTests
{
    private static readonly PricingRule Valid = new()
    {
        Id = Guid.NewGuid(),
        Priority = 0,
        CaratMin = 0.5m,
        CaratMax = 0.5m,
        Shapes = ["Round", "Trillion-ish"],
        MarkupRatio = 10m,
        Rating = 10,
    };

    [Fact]
    public void A_sensible_rule_has_no_errors_even_with_unknown_shape_names()
    {
        Valid.Validate().ShouldBeEmpty();
        (Valid with { Rating = 1, MarkupRatio = 0.01m, CaratMin = null, CaratMax = null, Shapes = null }).Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1.15)]
    [InlineData(10.01)]
    public void Markup_must_be_above_zero_and_at_most_ten(decimal markup)
    {
        (Valid with { MarkupRatio = markup }).Validate().Keys.ShouldBe(["markupRatio"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Rating_must_be_between_one_and_ten(int rating)
    {
        (Valid with { Rating = rating }).Validate().Keys.ShouldBe(["rating"]);
    }

    [Fact]
    public void Minimum_carats_must_not_exceed_maximum_carats()
    {
        var errors = (Valid with { CaratMin = 2m, CaratMax = 1m }).Validate();

        errors.Keys.ShouldBe(["caratMin"]);
        errors["caratMin"].ShouldBe(["Minimum carats must not exceed maximum carats."]);
    }

    [Fact]
    public void Carats_must_not_be_negative()
    {
        var errors = (Valid with { CaratMin = -1m, CaratMax = -0.5m }).Validate();

        errors.Keys.Order().ShouldBe(["caratMax", "caratMin"]);
    }

    [Fact]
    public void Priority_must_not_be_negative()
    {
        (Valid with { Priority = -1 }).Validate().Keys.ShouldBe(["priority"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Shape_names_must_not_be_blank(string shape)
    {
        (Valid with { Shapes = ["Round", shape] }).Validate().Keys.ShouldBe(["shapes"]);
    }

    [Fact]
    public void Every_invalid_field_is_reported_at_once()
    {
        var errors = (Valid with { Priority = -5, MarkupRatio = 0, Rating = 0, Shapes = [""] }).Validate();

        errors.Keys.Order().ShouldBe(["markupRatio", "priority", "rating", "shapes"]);
        errors.Values.ShouldAllBe(messages => messages.Length == 1 && messages[0].Length > 10);
    }
}
