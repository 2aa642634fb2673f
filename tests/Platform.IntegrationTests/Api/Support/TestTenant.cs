using System.Text.Json;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>An organization with one feed and two keys: <see cref="AdminKey"/> (every organization scope) and <see cref="ReaderKey"/> (catalog:read only).</summary>
public sealed record TestTenant(Guid OrgId, Guid FeedId, string AdminKey, string ReaderKey)
{
    /// <summary>The ids of the two keys (what logs and audit entries name instead of the keys).</summary>
    public Guid AdminKeyId { get; init; }

    public Guid ReaderKeyId { get; init; }

    /// <summary>Creates the tenant in one transaction, as <see cref="DemoSeeder"/> does.</summary>
    public static async Task<TestTenant> CreateAsync(NpgsqlDataSource dataSource, ApiKeyStore keys, string slug)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var orgId = Guid.CreateVersion7();
        await connection.ExecuteAsync(
            "INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, @slug, @plan)",
            new { orgId, slug, plan = PlanCode.Pro }, transaction);
        var feedId = Guid.CreateVersion7();
        await connection.ExecuteAsync(
            "INSERT INTO feeds (id, org_id, name, adapter, config) VALUES (@feedId, @orgId, 'feed', 'simulator', @config::jsonb)",
            new { feedId, orgId, config = JsonSerializer.Serialize(new { baseUrl = "http://127.0.0.1:5090" }) }, transaction);
        var admin = await keys.CreateAsync(connection, transaction, orgId, "admin", Scopes.Organization, null, "system:test", CancellationToken.None);
        var reader = await keys.CreateAsync(connection, transaction, orgId, "reader", [Scopes.CatalogRead], null, "system:test", CancellationToken.None);
        await transaction.CommitAsync();
        return new TestTenant(orgId, feedId, admin.Token, reader.Token) { AdminKeyId = admin.Id, ReaderKeyId = reader.Id };
    }
}
