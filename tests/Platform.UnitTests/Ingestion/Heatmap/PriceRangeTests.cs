using Platform.Domain.Ingestion.Heatmap;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class PriceRangeTests
{
    [Theory]
    [InlineData(100, true)]
    [InlineData(150.5, true)]
    [InlineData(199.99, true)]
    [InlineData(200, false)]
    [InlineData(99.99, false)]
    public void Range_includes_its_start_and_excludes_its_end(decimal price, bool contained)
    {
        new PriceRange(100, 200).Contains(price).ShouldBe(contained);
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(200, 100)]
    [InlineData(100.5, 200)]
    [InlineData(100, 200.25)]
    public void Empty_inverted_or_fractional_ranges_are_rejected(decimal min, decimal max)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new PriceRange(min, max));
    }

    [Fact]
    public void Ranges_with_the_same_bounds_are_equal_and_print_half_open()
    {
        new PriceRange(0, 100).ShouldBe(new PriceRange(0, 100));
        new PriceRange(0, 100).ToString().ShouldBe("[0, 100)");
    }
}
