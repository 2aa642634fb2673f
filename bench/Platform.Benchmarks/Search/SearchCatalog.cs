using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.Benchmarks.Search;

/// <summary>One organization with a reader key and N varied active stones, generated in one set-based statement; plus sampled ids for detail reads.</summary>
public sealed record SearchCatalog(Guid OrgId, string ApiKey, IReadOnlyList<Guid> DetailIds)
{
    public static async Task<SearchCatalog> SeedAsync(NpgsqlDataSource dataSource, int diamonds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var orgId = Guid.CreateVersion7();
        var feedId = Guid.CreateVersion7();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, 'bench', 'Bench', 'enterprise');
                INSERT INTO feeds (id, org_id, name, adapter, config) VALUES (@feedId, @orgId, 'bench', 'simulator', '{"baseUrl":"http://127.0.0.1:9"}');
                """, new { orgId, feedId }, transaction, cancellationToken: cancellationToken));
            var key = await new ApiKeyStore(dataSource, TimeProvider.System).CreateAsync(
                connection, transaction, orgId, "bench", [Scopes.CatalogRead], null, "system:bench", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            // Grades, shapes, carats and prices repeat with different periods, so filters select realistic shares and sorts have ties.
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO diamonds (id, org_id, feed_id, supplier_stone_id, shape, carats, color, clarity, cut, polish, symmetry, fluorescence,
                                      lab_grown, feed_price, retail_price, markup_ratio, rating, availability, status, source_updated_at, created_at)
                SELECT gen_random_uuid(), @orgId, @feedId, 'bench-' || i,
                       (ARRAY['ROUND','ROUND','ROUND','ROUND','OVAL','EMERALD','CUSHION','PRINCESS','PEAR','MARQUISE','RADIANT','HEART'])[1 + (i * 7) % 12],
                       round(0.3 + ((i * 37) % 500) / 100.0, 2),
                       (ARRAY['D','E','F','G','H','I','J','K','L','M'])[1 + (i * 13) % 10],
                       (ARRAY['FL','IF','VVS1','VVS2','VS1','VS2','SI1','SI2','I1'])[1 + (i * 11) % 9],
                       (ARRAY['EX','VG','G','F'])[1 + (i * 3) % 4], (ARRAY['EX','VG','G','F'])[1 + (i * 5) % 4],
                       (ARRAY['EX','VG','G','F'])[1 + (i * 7) % 4], (ARRAY['NONE','FAINT','MEDIUM','STRONG'])[1 + (i * 17) % 4],
                       i % 3 = 0, round(200 + ((i::bigint * 7919) % 40000)::numeric, 2), round((200 + ((i::bigint * 7919) % 40000)) * 1.15, 2), 1.15, 5,
                       'available', 'active', now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
                FROM generate_series(1, @diamonds) AS i
                """, new { orgId, feedId, diamonds }, commandTimeout: 900, cancellationToken: cancellationToken));
            // The steady state autovacuum reaches on its own: statistics, and a visibility map so counts are index-only
            // (without it every index entry visits the heap, and autovacuum would start in the middle of a phase).
            await connection.ExecuteAsync(new CommandDefinition("VACUUM (ANALYZE) diamonds", commandTimeout: 900, cancellationToken: cancellationToken));
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM diamonds TABLESAMPLE SYSTEM (1) REPEATABLE (42) LIMIT 2000", cancellationToken: cancellationToken))).ToList();
            return new SearchCatalog(orgId, key.Token, ids);
        }
    }
}
