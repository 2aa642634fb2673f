using System.Threading.Channels;
using NpgsqlTypes;

namespace Platform.Benchmarks.Baselines;

/// <summary>What the physical limit took: fetch + COPY (overlapped), then the one set-based catalog upsert.</summary>
public sealed record BaselineResult(TimeSpan Elapsed, TimeSpan FetchAndCopy, TimeSpan Upsert, string Cpu);

/// <summary>
/// The physical limit of "simulator → catalog" (PLATFORM §12) on a fresh database: the same stones fetched over HTTP
/// in pages of 50 with the pipeline's page parallelism, streamed by one binary <c>COPY</c> into <c>raw_items</c>, then
/// ONE <c>INSERT INTO diamonds … SELECT … FROM raw_items … ON CONFLICT … DO UPDATE</c> that maps the JSON in SQL and
/// prices with the default markup (1.15, rating 5) — what consolidation does when the tenant has no pricing rules.
/// </summary>
public static class CopyBaseline
{
    private const string Copy = """
        COPY raw_items (org_id, feed_id, supplier_stone_id, offer_id, run_id, seen_run_id, payload, payload_hash, source_updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string Upsert = """
        INSERT INTO diamonds (id, org_id, feed_id, supplier_stone_id, offer_id, shape, carats, color, clarity, cut, polish, symmetry,
                              fluorescence, lab_grown, feed_price, price_per_carat, retail_price, markup_ratio, rating, availability,
                              certificate_lab, certificate_number, image_url, video_url, supplier_name, source_updated_at)
        SELECT gen_random_uuid(), r.org_id, r.feed_id, r.supplier_stone_id, r.offer_id,
               upper(trim(p->>'shape')), (p->>'carats')::numeric, upper(nullif(trim(p->>'color'), '')),
               upper(nullif(trim(p->>'clarity'), '')), upper(nullif(trim(p->>'cut'), '')), upper(nullif(trim(p->>'polish'), '')),
               upper(nullif(trim(p->>'symmetry'), '')), upper(nullif(trim(p->>'fluorescence'), '')), (p->>'labGrown')::boolean,
               m.price, round(m.price / (p->>'carats')::numeric, 2), round(m.price * 1.15, 2), 1.15, 5,
               CASE upper(trim(p->>'availability')) WHEN 'AVAILABLE' THEN 'available' WHEN 'ON_HOLD' THEN 'on_hold' WHEN 'SOLD' THEN 'sold'
                    ELSE 'unavailable' END,
               upper(nullif(trim(p->'certificate'->>'lab'), '')), nullif(p->'certificate'->>'number', ''),
               nullif(p->>'imageUrl', ''), nullif(p->>'videoUrl', ''), nullif(p->>'supplierName', ''), r.source_updated_at
        FROM raw_items r
        CROSS JOIN LATERAL (SELECT r.payload AS p) j
        CROSS JOIN LATERAL (SELECT round((j.p->>'price')::numeric, 2) AS price) m
        WHERE r.org_id = @OrgId AND r.feed_id = @FeedId
        ON CONFLICT (org_id, feed_id, supplier_stone_id) DO UPDATE SET
            offer_id = EXCLUDED.offer_id, shape = EXCLUDED.shape, carats = EXCLUDED.carats, color = EXCLUDED.color,
            clarity = EXCLUDED.clarity, cut = EXCLUDED.cut, polish = EXCLUDED.polish, symmetry = EXCLUDED.symmetry,
            fluorescence = EXCLUDED.fluorescence, lab_grown = EXCLUDED.lab_grown, feed_price = EXCLUDED.feed_price,
            price_per_carat = EXCLUDED.price_per_carat, retail_price = EXCLUDED.retail_price, markup_ratio = EXCLUDED.markup_ratio,
            rating = EXCLUDED.rating, availability = EXCLUDED.availability, certificate_lab = EXCLUDED.certificate_lab,
            certificate_number = EXCLUDED.certificate_number, image_url = EXCLUDED.image_url, video_url = EXCLUDED.video_url,
            supplier_name = EXCLUDED.supplier_name, source_updated_at = EXCLUDED.source_updated_at, updated_at = now()
        """;

    public static async Task<BaselineResult> MeasureAsync(
        PostgresServer postgres, ServiceProcess simulator, int stones, int readers, CancellationToken cancellationToken)
    {
        await using var database = await BenchDatabase.CreateAsync(postgres, "bench_baseline", cancellationToken);
        await using var dataSource = database.CreateDataSource();
        var feed = await BenchFeed.CreateAsync(dataSource, simulator.Url, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var cpu = CpuMeter.Start(new Dictionary<string, int> { ["bench (fetch, COPY)"] = Environment.ProcessId, ["simulator"] = simulator.ProcessId!.Value });
        var clock = Stopwatch.StartNew();
        var pages = SimulatorReader.ReadAll(new Uri(simulator.Url), stones, readers, cancellationToken);
        var copied = await CopyAsync(connection, feed, pages, cancellationToken);
        var fetchAndCopy = clock.Elapsed;
        var upserted = await connection.ExecuteAsync(new CommandDefinition(Upsert, feed, commandTimeout: 600, cancellationToken: cancellationToken));
        var elapsed = clock.Elapsed;
        var cpuUsed = cpu.Stop();

        var catalog = await feed.CatalogCountAsync(dataSource, cancellationToken);
        if (copied != (ulong)stones || upserted != stones || catalog != stones)
        {
            throw new BenchmarkFailedException($"The baseline copied {copied}, upserted {upserted} and holds {catalog} stones, not {stones}.");
        }
        return new BaselineResult(elapsed, fetchAndCopy, elapsed - fetchAndCopy, cpuUsed);
    }

    private static async Task<ulong> CopyAsync(
        NpgsqlConnection connection, BenchFeed feed, ChannelReader<IReadOnlyList<FetchedStone>> pages, CancellationToken cancellationToken)
    {
        var runId = Guid.CreateVersion7();
        await using var writer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        await foreach (var page in pages.ReadAllAsync(cancellationToken))
        {
            foreach (var stone in page)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(feed.OrgId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(feed.FeedId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(stone.Id, NpgsqlDbType.Text, cancellationToken);
                if (stone.OfferId is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(stone.OfferId, NpgsqlDbType.Text, cancellationToken);
                }
                await writer.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(stone.Payload, NpgsqlDbType.Jsonb, cancellationToken);
                await writer.WriteAsync(stone.Hash, NpgsqlDbType.Bytea, cancellationToken);
                await writer.WriteAsync(stone.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
        }
        return await writer.CompleteAsync(cancellationToken);
    }
}
