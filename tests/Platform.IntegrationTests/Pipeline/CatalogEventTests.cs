using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Ingestion.Consolidation;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// The change events of the consolidator's catalog statement (<see cref="CatalogWriter"/>): one per real change, with
/// its old and new values, none for a stone written again unchanged; and they go when their stone goes (deleting its
/// feed or its organization), as they did under the foreign key that migration 0024 replaced with one delete per
/// statement (ADR 0043), while another tenant's stay.
/// </summary>
public sealed class CatalogEventTests(PlatformServers servers)
{
    private const int StonesPerFeed = 40;
    private static readonly DateTimeOffset Updated = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_second_write_records_each_price_and_availability_change_and_recreates_a_deleted_stone()
    {
        await using var connection = await OpenDatabaseAsync();
        var (orgId, feedId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await SeedOrganizationAsync(connection, orgId, "tenant-events", feedId);
        var first = Enumerable.Range(1, 6).Select(n => Stone($"S{n}", 1_000m + n, DiamondAvailability.Available)).ToList();
        (await WriteAsync(connection, orgId, feedId, Guid.CreateVersion7(), first)).ShouldBe(new CatalogChanges(6, 0, 6));
        await connection.ExecuteAsync("UPDATE diamonds SET status = 'deleted', deleted_at = now() WHERE supplier_stone_id = 'S6'");

        var second = first.ToList();
        second[0] = Stone("S1", 1_500m, DiamondAvailability.Available);
        second[1] = Stone("S2", 1_002m, DiamondAvailability.OnHold);
        second[2] = Stone("S3", 900m, DiamondAvailability.Sold);
        var runId = Guid.CreateVersion7();
        (await WriteAsync(connection, orgId, feedId, runId, second)).ShouldBe(new CatalogChanges(4, 2, 5));

        var events = (await connection.QueryAsync<(string Stone, string Type, string? Old, string New)>("""
            SELECT d.supplier_stone_id, e.type, e.old_value::text, e.new_value::text
            FROM diamond_events e JOIN diamonds d ON d.id = e.diamond_id
            WHERE e.run_id = @runId ORDER BY 1, 2
            """, new { runId })).ToList();
        events.ShouldBe([
            ("S1", "price_changed", """{"feedPrice": 1001.00, "retailPrice": 1151.15}""", """{"feedPrice": 1500.00, "retailPrice": 1725.00}"""),
            ("S2", "availability_changed", """{"availability": "available"}""", """{"availability": "on_hold"}"""),
            ("S3", "availability_changed", """{"availability": "available"}""", """{"availability": "sold"}"""),
            ("S3", "price_changed", """{"feedPrice": 1003.00, "retailPrice": 1153.45}""", """{"feedPrice": 900.00, "retailPrice": 1035.00}"""),
            ("S6", "created", null, """{"feedPrice": 1006.00, "retailPrice": 1156.90, "availability": "available"}"""),
        ]);
        (await WriteAsync(connection, orgId, feedId, runId, second)).ShouldBe(new CatalogChanges(0, 0, 0), "the same rows again change nothing");
    }

    [Fact]
    public async Task Deleting_a_feed_or_an_organization_deletes_the_events_of_its_stones_and_no_others()
    {
        await using var connection = await OpenDatabaseAsync();
        var (orgA, feedA1, feedA2) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (orgB, feedB) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await SeedOrganizationAsync(connection, orgA, "tenant-a", feedA1, feedA2);
        await SeedOrganizationAsync(connection, orgB, "tenant-b", feedB);
        foreach (var (org, feed) in new[] { (orgA, feedA1), (orgA, feedA2), (orgB, feedB) })
        {
            (await WriteCatalogAsync(connection, org, feed)).ShouldBe(new CatalogChanges(StonesPerFeed, 0, StonesPerFeed));
        }
        (await WriteCatalogAsync(connection, orgB, feedB)).ShouldBe(new CatalogChanges(0, 0, 0), "the same rows again change nothing");
        (await EventsAsync(connection, orgA)).ShouldBe(2 * StonesPerFeed);

        await connection.ExecuteAsync("DELETE FROM feeds WHERE id = @feedA1 AND org_id = @orgA", new { feedA1, orgA });
        (await EventsAsync(connection, orgA)).ShouldBe(StonesPerFeed);
        (await connection.ExecuteScalarAsync<int>("""
            SELECT count(*) FROM diamond_events e WHERE NOT EXISTS (SELECT 1 FROM diamonds d WHERE d.id = e.diamond_id)
            """)).ShouldBe(0, "no event outlives its stone");

        await connection.ExecuteAsync("DELETE FROM organizations WHERE id = @orgA", new { orgA });
        (await EventsAsync(connection, orgA)).ShouldBe(0);
        (await EventsAsync(connection, orgB)).ShouldBe(StonesPerFeed);
    }

    /// <summary>A fresh migrated database of its own, so the counts see only this test's rows.</summary>
    private async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var database = await servers.CreateDatabaseAsync();
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static Task<CatalogChanges> WriteCatalogAsync(NpgsqlConnection connection, Guid orgId, Guid feedId) =>
        WriteAsync(connection, orgId, feedId, Guid.CreateVersion7(),
            [.. Enumerable.Range(1, StonesPerFeed).Select(n => Stone($"S{n}", 1_000m + n, DiamondAvailability.Available))]);

    private static DiamondDraft Stone(string id, decimal price, string availability) => new()
    {
        SupplierStoneId = id, Shape = "ROUND", Carats = 1.01m, LabGrown = false, FeedPrice = price, Availability = availability,
        SourceUpdatedAt = Updated,
    };

    /// <summary>One consolidation chunk: the stones priced with the defaults (markup 1.15), written in one transaction.</summary>
    private static async Task<CatalogChanges> WriteAsync(NpgsqlConnection connection, Guid orgId, Guid feedId, Guid runId, List<DiamondDraft> stones)
    {
        var pricing = new PricingEngine([]);
        var rows = stones.Select(stone => new CatalogRow(stone,
            pricing.Price(new StoneForPricing(stone.FeedPrice, stone.Carats, stone.Shape, stone.LabGrown, feedId)))).ToList();
        await using var transaction = await connection.BeginTransactionAsync();
        var changes = await CatalogWriter.UpsertAsync(connection, transaction, orgId, feedId, runId, rows, CancellationToken.None);
        await transaction.CommitAsync();
        return changes;
    }

    private static Task<int> EventsAsync(NpgsqlConnection connection, Guid orgId) =>
        connection.ExecuteScalarAsync<int>("SELECT count(*) FROM diamond_events WHERE org_id = @orgId", new { orgId });

    private static async Task SeedOrganizationAsync(NpgsqlConnection connection, Guid orgId, string slug, params Guid[] feeds)
    {
        await connection.ExecuteAsync("INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, @slug, 'pro')", new { orgId, slug });
        foreach (var feedId in feeds)
        {
            await connection.ExecuteAsync("""
                INSERT INTO feeds (id, org_id, name, adapter, config) VALUES (@feedId, @orgId, @name, 'simulator', '{}')
                """, new { feedId, orgId, name = $"simulator {feedId}" });
        }
    }
}
