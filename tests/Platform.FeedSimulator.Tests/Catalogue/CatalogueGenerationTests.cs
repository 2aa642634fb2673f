using System.Runtime.CompilerServices;

namespace Platform.FeedSimulator.Tests.Catalogue;

public sealed class CatalogueGenerationTests
{
    [Fact]
    public void Same_seed_and_size_generate_identical_catalogues()
    {
        CatalogueGenerator.Generate(42, 20_000).ShouldBe(CatalogueGenerator.Generate(42, 20_000));
    }

    [Fact]
    public void A_different_seed_generates_a_different_catalogue()
    {
        var first = CatalogueGenerator.Generate(42, 1_000);
        var second = CatalogueGenerator.Generate(43, 1_000);

        first.Zip(second).Count(pair => pair.First == pair.Second).ShouldBeLessThan(10);
    }

    [Fact]
    public void A_smaller_catalogue_is_a_prefix_of_a_larger_one_with_the_same_seed()
    {
        CatalogueGenerator.Generate(7, 5_000).ShouldBe(CatalogueGenerator.Generate(7, 10_000).Take(5_000));
    }

    [Fact]
    public void About_eighty_percent_of_stones_are_priced_under_twenty_thousand_dollars_and_all_within_bounds()
    {
        var stones = CatalogueGenerator.Generate(42, 100_000);

        var underTwentyThousand = stones.Count(stone => stone.PriceCents < 20_000_00) / (double)stones.Length;

        underTwentyThousand.ShouldBeInRange(0.70, 0.90);
        stones.ShouldAllBe(stone => stone.PriceCents >= 100_00 && stone.PriceCents < 250_000_00);
    }

    [Fact]
    public void Stones_have_plausible_grades_and_origins()
    {
        var stones = CatalogueGenerator.Generate(42, 100_000);

        (stones.Count(stone => stone.LabGrown) / (double)stones.Length).ShouldBeInRange(0.30, 0.40);
        stones.ShouldAllBe(stone => stone.CaratHundredths >= 30 && stone.CaratHundredths <= 1000);
        stones.Count(stone => stone.CaratHundredths < 200).ShouldBeGreaterThan(stones.Length * 3 / 4, "most stones are small");
        stones.Count(stone => stone.CaratHundredths > 500).ShouldBeLessThan(stones.Length / 20, "big stones are rare");
        stones.GroupBy(stone => stone.Shape).MaxBy(group => group.Count())!.Key
            .ShouldBe((byte)Array.IndexOf(StoneVocabulary.Shapes, "ROUND"));
        stones.Select(stone => stone.Shape).Distinct().Count().ShouldBe(StoneVocabulary.Shapes.Length);
    }

    [Fact]
    public void CreatedAt_strictly_increases_with_index_and_updatedAt_lies_between_creation_and_the_catalogue_epoch()
    {
        var stones = CatalogueGenerator.Generate(42, 50_000);

        for (var index = 0; index < stones.Length; index++)
        {
            var created = CatalogueTimeline.CreatedAtTicks(index);
            if (index > 0)
            {
                created.ShouldBeGreaterThan(CatalogueTimeline.CreatedAtTicks(index - 1));
            }
            stones[index].UpdatedAtTicks.ShouldBeInRange(created, CatalogueTimeline.Epoch.Ticks);
        }
    }

    [Fact]
    public void A_stone_takes_at_most_32_bytes_so_a_million_fit_in_well_under_250_MB()
    {
        Unsafe.SizeOf<StoneRecord>().ShouldBeLessThanOrEqualTo(32);
    }

    [Theory]
    [InlineData("SIM-42-0000017", 42, 100, 17)]
    [InlineData("SIM--3-0000000", -3, 1, 0)]
    public void Stone_ids_round_trip_to_their_index(string id, int seed, int size, int index)
    {
        StoneIdentity.StoneId(seed, index).ShouldBe(id);
        StoneIdentity.TryParseIndex(id, seed, size, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(index);
    }

    [Theory]
    [InlineData("SIM-42-0000100")]
    [InlineData("SIM-41-0000001")]
    [InlineData("SIM-42-1")]
    [InlineData("SIM-42-+000001")]
    [InlineData("nonsense")]
    public void Ids_of_other_catalogues_or_beyond_the_size_are_unknown(string id)
    {
        StoneIdentity.TryParseIndex(id, 42, 100, out _).ShouldBeFalse();
    }
}
