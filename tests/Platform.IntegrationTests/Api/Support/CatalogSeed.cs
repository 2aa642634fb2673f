using Platform.Domain.Catalog;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>A catalog stone written straight into <c>diamonds</c> (no pipeline), with defaults for what a test does not care about.</summary>
public sealed record SeedStone
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public string Shape { get; init; } = "ROUND";
    public decimal Carats { get; init; } = 1m;
    public string? Color { get; init; } = "G";
    public string? Clarity { get; init; } = "VS1";
    public string? Cut { get; init; } = "EX";
    public string? Polish { get; init; } = "EX";
    public string? Symmetry { get; init; } = "EX";
    public string? Fluorescence { get; init; } = "NONE";
    public bool LabGrown { get; init; }
    public decimal RetailPrice { get; init; } = 1000m;
    public string Availability { get; init; } = "available";
    public string Status { get; init; } = "active";
    public DateTimeOffset CreatedAt { get; init; } = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Grade ranks as the API sorts them (vocabulary position, unknown last).</summary>
    public int ColorRank => Rank(DiamondGrades.Colors, Color);

    public int ClarityRank => Rank(DiamondGrades.Clarities, Clarity);

    private static int Rank(IReadOnlyList<string> vocabulary, string? grade) =>
        grade is not null && vocabulary.Contains(grade) ? vocabulary.ToList().IndexOf(grade) + 1 : DiamondGrades.UnknownRank;
}

internal static class CatalogSeed
{
    public static async Task InsertAsync(NpgsqlDataSource dataSource, TestTenant tenant, IEnumerable<SeedStone> stones)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO diamonds (id, org_id, feed_id, supplier_stone_id, shape, carats, color, clarity, cut, polish, symmetry, fluorescence,
                                  lab_grown, feed_price, retail_price, markup_ratio, rating, availability, status, source_updated_at, created_at)
            VALUES (@Id, @OrgId, @FeedId, @Id::text, @Shape, @Carats, @Color, @Clarity, @Cut, @Polish, @Symmetry, @Fluorescence,
                    @LabGrown, round(@RetailPrice / 1.15, 2), @RetailPrice, 1.15, 5, @Availability, @Status, @CreatedAt, @CreatedAt)
            """,
            stones.Select(s => new
            {
                s.Id, tenant.OrgId, tenant.FeedId, s.Shape, s.Carats, s.Color, s.Clarity, s.Cut, s.Polish, s.Symmetry, s.Fluorescence,
                s.LabGrown, s.RetailPrice, s.Availability, s.Status, s.CreatedAt,
            }),
            transaction);
        await transaction.CommitAsync();
    }

    /// <summary>
    /// <paramref name="count"/> varied stones generated in one set-based statement (fast enough for 200 000 rows),
    /// then ANALYZE so the planner sees them. Prices, carats and grades repeat, so sort keys have many ties.
    /// </summary>
    public static async Task GenerateAsync(NpgsqlDataSource dataSource, TestTenant tenant, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO diamonds (id, org_id, feed_id, supplier_stone_id, shape, carats, color, clarity, cut, polish, symmetry, fluorescence,
                                  lab_grown, feed_price, retail_price, markup_ratio, rating, availability, status, source_updated_at, created_at)
            SELECT gen_random_uuid(), @orgId, @feedId, 'gen-' || i,
                   (ARRAY['ROUND','ROUND','ROUND','ROUND','OVAL','EMERALD','CUSHION','PRINCESS','PEAR','MARQUISE','RADIANT','HEART'])[1 + (i * 7) % 12],
                   round(0.3 + ((i * 37) % 500) / 100.0, 2),
                   (ARRAY['D','E','F','G','H','I','J','K','L','M'])[1 + (i * 13) % 10],
                   (ARRAY['FL','IF','VVS1','VVS2','VS1','VS2','SI1','SI2','I1'])[1 + (i * 11) % 9],
                   (ARRAY['EX','VG','G','F'])[1 + (i * 3) % 4], (ARRAY['EX','VG','G','F'])[1 + (i * 5) % 4],
                   (ARRAY['EX','VG','G','F'])[1 + (i * 7) % 4], (ARRAY['NONE','FAINT','MEDIUM','STRONG'])[1 + (i * 17) % 4],
                   i % 3 = 0,
                   round(((i * 7919) % 100000 + 300) / 1.15, 2), (i * 7919) % 100000 + 300, 1.15, 5,
                   CASE WHEN i % 20 = 0 THEN 'sold' ELSE 'available' END, 'active',
                   timestamptz '2025-01-01' + i * interval '1 second', timestamptz '2025-01-01' + (i / 3) * interval '1 second'
            FROM generate_series(1, @count) AS i
            """, new { tenant.OrgId, tenant.FeedId, count }, commandTimeout: 300);
        // VACUUM as autovacuum would have done by now: it sets the visibility map that index-only scans rely on.
        await connection.ExecuteAsync("VACUUM ANALYZE diamonds", commandTimeout: 300);
    }
}
