using System.Text.Json;
using Platform.Domain.Tenancy;

namespace Platform.Infrastructure.Tenancy;

/// <summary>Section <c>Demo</c>: what <c>seed-demo</c> creates.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public string OrganizationSlug { get; set; } = "demo";
    public string OrganizationName { get; set; } = "Demo Diamonds";
    public string Plan { get; set; } = PlanCode.Pro;
    public string FeedName { get; set; } = "Demo simulator";

    /// <summary>Base URL of the feed simulator; defaults to Aspire's service reference <c>services:feedsim:http:0</c>.</summary>
    public string? FeedUrl { get; set; }

    /// <summary>Upstream requests per second for the demo feed: the simulator is local, so faster than a real supplier's 2.</summary>
    public decimal FeedRequestsPerSecond { get; set; } = 50;
}

public sealed record DemoSeedResult(Guid OrgId, Guid FeedId, CreatedApiKey? NewKey);

/// <summary>
/// Creates (or finds) the demo organization, its simulator feed and an API key. Idempotent: a second run
/// changes nothing and creates no key unless asked, because a key's secret can be shown only once.
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, ApiKeyStore keys)
{
    public const string DemoKeyName = "demo";

    public async Task<DemoSeedResult> SeedAsync(DemoOptions options, string feedUrl, bool newKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var orgId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            INSERT INTO organizations (id, slug, name, plan) VALUES (@id, @slug, @name, @plan)
            ON CONFLICT (slug) DO UPDATE SET name = organizations.name
            RETURNING id
            """, new { id = Guid.CreateVersion7(), slug = options.OrganizationSlug, name = options.OrganizationName, plan = options.Plan },
            transaction, cancellationToken: cancellationToken));

        var config = JsonSerializer.Serialize(new { baseUrl = feedUrl });
        var feedId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps) VALUES (@id, @orgId, @name, 'simulator', @config::jsonb, @rps)
            ON CONFLICT (org_id, name) DO UPDATE SET config = EXCLUDED.config, upstream_rps = EXCLUDED.upstream_rps, updated_at = now()
            RETURNING id
            """, new { id = Guid.CreateVersion7(), orgId, name = options.FeedName, config, rps = options.FeedRequestsPerSecond },
            transaction, cancellationToken: cancellationToken));

        var hasKey = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM api_keys WHERE org_id = @orgId AND name = @name AND revoked_at IS NULL)",
            new { orgId, name = DemoKeyName }, transaction, cancellationToken: cancellationToken));

        CreatedApiKey? created = null;
        if (!hasKey || newKey)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET revoked_at = now() WHERE org_id = @orgId AND name = @name AND revoked_at IS NULL",
                new { orgId, name = DemoKeyName }, transaction, cancellationToken: cancellationToken));
            created = await keys.CreateAsync(connection, transaction, orgId, DemoKeyName, Scopes.Organization, null, "system:seed-demo", cancellationToken);
            await AuditLog.WriteAsync(connection, transaction,
                new AuditEntry(orgId, "system:seed-demo", "api_key.created", "api_key", created.Id.ToString(),
                    After: new { name = DemoKeyName, prefix = created.Prefix, last4 = created.LastFour, scopes = Scopes.Organization }),
                cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new DemoSeedResult(orgId, feedId, created);
    }
}
