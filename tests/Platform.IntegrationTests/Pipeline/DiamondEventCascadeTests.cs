using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Ingestion.Consolidation;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A stone's change events go when the stone goes (deleting its feed or its organization), as they did under the
/// foreign key that migration 0024 replaced with one delete per statement (ADR 0043); another tenant's events stay.
/// The events are written by the consolidator's own statement, so the test also shows that it still writes one
/// <c>created</c> event per new stone and none when the same rows are written again.
/// </summary>
public sealed class DiamondEventCascadeTests(PlatformServers servers)
{
    private const int StonesPerFeed = 40;

    [Fact]
    public async Task Deleting_a_feed_or_an_organization_deletes_the_events_of_its_stones_and_no_others()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await servers.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
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

    private static async Task<CatalogChanges> WriteCatalogAsync(NpgsqlConnection connection, Guid orgId, Guid feedId)
    {
        var rows = Enumerable.Range(1, StonesPerFeed).Select(n => new CatalogRow(
            new DiamondDraft
            {
                SupplierStoneId = $"S{n}", Shape = "ROUND", Carats = 1.01m, LabGrown = false, FeedPrice = 1_000m + n,
                Availability = DiamondAvailability.Available, SourceUpdatedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            },
            new PricingEngine([]).Price(new StoneForPricing(1_000m + n, 1.01m, "ROUND", false, feedId)))).ToList();
        await using var transaction = await connection.BeginTransactionAsync();
        var changes = await CatalogWriter.UpsertAsync(connection, transaction, orgId, feedId, Guid.CreateVersion7(), rows, CancellationToken.None);
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
