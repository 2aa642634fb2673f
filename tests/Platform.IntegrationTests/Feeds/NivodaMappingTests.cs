using System.Text.Json.Nodes;
using Platform.Domain.Ingestion.Feeds;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>Mapping stored Nivoda items (as recorded) to the catalog model.</summary>
public sealed class NivodaMappingTests
{
    private static readonly DateTimeOffset UpdatedTo = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly RecordedNivoda nivoda = new();

    [Fact]
    public async Task A_recorded_item_maps_to_a_draft_with_dollars_upper_case_grades_and_availability()
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Nivoda());

        var drafts = RecordedItems().Select(adapter.Map).ToList();

        var first = drafts[0];
        first.SupplierStoneId.ShouldBe("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
        first.OfferId.ShouldBe("DIAMOND/cdb3e7f6-3a0b-4c6e-9a51-0d1f2e3a4b5c");
        first.Shape.ShouldBe("ROUND");
        first.Carats.ShouldBe(1.01m);
        (first.Color, first.Clarity, first.Cut, first.Polish, first.Symmetry).ShouldBe(("G", "VS1", "EX", "EX", "VG"));
        first.Fluorescence.ShouldBe("NONE");
        first.FeedPrice.ShouldBe(12_540.00m);
        first.LabGrown.ShouldBeFalse();
        first.Availability.ShouldBe(DiamondAvailability.Available);
        (first.CertificateLab, first.CertificateNumber).ShouldBe(("GIA", "2417583921"));
        first.SupplierName.ShouldBe("Antwerp Brilliant NV");
        first.SourceUpdatedAt.ShouldBe(UpdatedTo);

        var second = drafts[1];
        (second.Shape, second.Color, second.Clarity, second.Cut).ShouldBe(("CUSHION MODIFIED", "E", "VVS2", null));
        second.LabGrown.ShouldBeTrue();
        second.FeedPrice.ShouldBe(3_899.50m);
        second.Availability.ShouldBe(DiamondAvailability.OnHold);
        second.ImageUrl.ShouldBeNull();

        drafts[2].Availability.ShouldBe(DiamondAvailability.Sold);
        drafts[2].SupplierName.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"id": "o1", "price": 100}""", "'diamond'")]
    [InlineData("""{"id": "o1", "price": 100, "diamond": {"id": "d1"}}""", "'certificate'")]
    [InlineData("""{"id": "o1", "price": "cheap", "diamond": {"id": "d1", "certificate": {"shape": "ROUND", "carats": 1}}}""", "'price'")]
    [InlineData("""{"id": "o1", "price": 100, "diamond": {"id": "d1", "certificate": {"carats": 1}}}""", "'shape'")]
    [InlineData("""[1, 2]""", "not an object")]
    [InlineData("""{"id": "o1", """, "not valid JSON")]
    public async Task A_malformed_payload_fails_mapping_naming_what_is_wrong(string payload, string named)
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Nivoda());

        var failure = Should.Throw<FeedMappingException>(() => adapter.Map(new RawStone("d1", "o1", UpdatedTo, payload)));

        failure.Message.ShouldContain("Nivoda stone 'd1'");
        failure.Message.ShouldContain(named);
    }

    private static IEnumerable<RawStone> RecordedItems() =>
        JsonNode.Parse(RecordedNivoda.Fixture("nivoda-search.json"))!["data"]!["as"]!["diamonds_by_query"]!["items"]!.AsArray()
            .Select(item => new RawStone(item!["diamond"]!["id"]!.GetValue<string>(), item["id"]!.GetValue<string>(), UpdatedTo, item.ToJsonString()));
}
