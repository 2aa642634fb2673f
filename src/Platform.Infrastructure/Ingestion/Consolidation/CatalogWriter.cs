namespace Platform.Infrastructure.Ingestion.Consolidation;

/// <summary>What one upsert changed.</summary>
public readonly record struct CatalogChanges(int Written, int PriceChanges, int Events);

/// <summary>
/// Upserts priced stones into <c>diamonds</c> in one statement per chunk, touching only rows where something
/// changed, and in the same statement writes <c>price_history</c> and <c>diamond_events</c> for exactly those
/// changes. The unique keys on (diamond, run) make a repeated step unable to write a change twice.
/// </summary>
public static class CatalogWriter
{
    private const string Sql = """
        WITH input AS (
            SELECT * FROM UNNEST(
                @ids::text[], @offers::text[], @shapes::text[], @carats::numeric[], @colors::text[], @clarities::text[], @cuts::text[],
                @polishes::text[], @symmetries::text[], @fluorescences::text[], @labGrown::boolean[], @feedPrices::numeric[],
                @pricesPerCarat::numeric[], @retailPrices::numeric[], @markups::numeric[], @ratings::smallint[], @ruleIds::uuid[],
                @availabilities::text[], @certLabs::text[], @certNumbers::text[], @images::text[], @videos::text[], @suppliers::text[],
                @sourceUpdated::timestamptz[], @newIds::uuid[])
            AS t(supplier_stone_id, offer_id, shape, carats, color, clarity, cut, polish, symmetry, fluorescence, lab_grown, feed_price,
                 price_per_carat, retail_price, markup_ratio, rating, pricing_rule_id, availability, certificate_lab, certificate_number,
                 image_url, video_url, supplier_name, source_updated_at, new_id)
        ), previous AS (
            -- One probe of the unique key per input row. A plain join or ANY() lets a plan made on stale statistics, or
            -- a cached generic plan, read the feed's whole catalog for every chunk; LIMIT keeps the probe a probe.
            SELECT d.id, d.supplier_stone_id, d.feed_price, d.retail_price, d.availability, d.status
            FROM input i CROSS JOIN LATERAL (
                SELECT d.id, d.supplier_stone_id, d.feed_price, d.retail_price, d.availability, d.status
                FROM diamonds d
                WHERE d.org_id = @orgId AND d.feed_id = @feedId AND d.supplier_stone_id = i.supplier_stone_id
                LIMIT 1) d
        ), upserted AS (
            INSERT INTO diamonds (id, org_id, feed_id, supplier_stone_id, offer_id, shape, carats, color, clarity, cut, polish, symmetry,
                                  fluorescence, lab_grown, feed_price, price_per_carat, retail_price, markup_ratio, rating, pricing_rule_id,
                                  availability, certificate_lab, certificate_number, image_url, video_url, supplier_name, source_updated_at)
            SELECT new_id, @orgId, @feedId, supplier_stone_id, offer_id, shape, carats, color, clarity, cut, polish, symmetry,
                   fluorescence, lab_grown, feed_price, price_per_carat, retail_price, markup_ratio, rating, pricing_rule_id,
                   availability, certificate_lab, certificate_number, image_url, video_url, supplier_name, source_updated_at
            FROM input
            ON CONFLICT (org_id, feed_id, supplier_stone_id) DO UPDATE SET
                offer_id = EXCLUDED.offer_id, shape = EXCLUDED.shape, carats = EXCLUDED.carats, color = EXCLUDED.color,
                clarity = EXCLUDED.clarity, cut = EXCLUDED.cut, polish = EXCLUDED.polish, symmetry = EXCLUDED.symmetry,
                fluorescence = EXCLUDED.fluorescence, lab_grown = EXCLUDED.lab_grown, feed_price = EXCLUDED.feed_price,
                price_per_carat = EXCLUDED.price_per_carat, retail_price = EXCLUDED.retail_price, markup_ratio = EXCLUDED.markup_ratio,
                rating = EXCLUDED.rating, pricing_rule_id = EXCLUDED.pricing_rule_id, availability = EXCLUDED.availability,
                certificate_lab = EXCLUDED.certificate_lab, certificate_number = EXCLUDED.certificate_number,
                image_url = EXCLUDED.image_url, video_url = EXCLUDED.video_url, supplier_name = EXCLUDED.supplier_name,
                source_updated_at = EXCLUDED.source_updated_at, status = 'active', deleted_at = NULL, updated_at = now()
            WHERE diamonds.source_updated_at IS DISTINCT FROM EXCLUDED.source_updated_at
               OR diamonds.feed_price IS DISTINCT FROM EXCLUDED.feed_price
               OR diamonds.retail_price IS DISTINCT FROM EXCLUDED.retail_price
               OR diamonds.markup_ratio IS DISTINCT FROM EXCLUDED.markup_ratio
               OR diamonds.rating IS DISTINCT FROM EXCLUDED.rating
               OR diamonds.pricing_rule_id IS DISTINCT FROM EXCLUDED.pricing_rule_id
               OR diamonds.availability IS DISTINCT FROM EXCLUDED.availability
               OR diamonds.status <> 'active'
            RETURNING id, supplier_stone_id, feed_price, retail_price, availability
        ), history AS (
            INSERT INTO price_history (org_id, diamond_id, run_id, old_feed_price, new_feed_price, old_retail_price, new_retail_price)
            SELECT @orgId, u.id, @runId, p.feed_price, u.feed_price, p.retail_price, u.retail_price
            FROM upserted u JOIN previous p ON p.id = u.id
            WHERE p.feed_price IS DISTINCT FROM u.feed_price OR p.retail_price IS DISTINCT FROM u.retail_price
            ON CONFLICT (diamond_id, run_id) DO NOTHING
            RETURNING 1
        ), changed AS (
            SELECT u.id, u.feed_price, u.retail_price, u.availability, p.id IS NULL OR p.status <> 'active' AS created,
                   p.feed_price AS old_feed_price, p.retail_price AS old_retail_price, p.availability AS old_availability
            FROM upserted u LEFT JOIN previous p ON p.id = u.id
        ), events AS (
            -- One SELECT per event type, so each stone's JSON is built only for the events it really has: a first load
            -- built four unused objects per stone when the three types were rows of one LATERAL VALUES.
            INSERT INTO diamond_events (org_id, diamond_id, run_id, type, old_value, new_value)
            SELECT @orgId, id, @runId, 'created', NULL::jsonb,
                   jsonb_build_object('feedPrice', feed_price, 'retailPrice', retail_price, 'availability', availability)
            FROM changed WHERE created
            UNION ALL
            SELECT @orgId, id, @runId, 'price_changed', jsonb_build_object('feedPrice', old_feed_price, 'retailPrice', old_retail_price),
                   jsonb_build_object('feedPrice', feed_price, 'retailPrice', retail_price)
            FROM changed
            WHERE NOT created AND (old_feed_price IS DISTINCT FROM feed_price OR old_retail_price IS DISTINCT FROM retail_price)
            UNION ALL
            SELECT @orgId, id, @runId, 'availability_changed', jsonb_build_object('availability', old_availability),
                   jsonb_build_object('availability', availability)
            FROM changed WHERE NOT created AND old_availability IS DISTINCT FROM availability
            ON CONFLICT (diamond_id, run_id, type) DO NOTHING
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM upserted)::int AS written, (SELECT count(*) FROM history)::int AS price_changes,
               (SELECT count(*) FROM events)::int AS events
        """;

    public static async Task<CatalogChanges> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, Guid feedId, Guid runId,
        IReadOnlyList<CatalogRow> rows, CancellationToken cancellationToken)
    {
        T[] Column<T>(Func<CatalogRow, T> select)
        {
            var values = new T[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                values[i] = select(rows[i]);
            }
            return values;
        }
        var (written, priceChanges, events) = await connection.QuerySingleAsync<(int, int, int)>(new CommandDefinition(Sql, new
        {
            orgId, feedId, runId,
            ids = Column(r => r.Draft.SupplierStoneId), offers = Column(r => r.Draft.OfferId), shapes = Column(r => r.Draft.Shape),
            carats = Column(r => r.Draft.Carats), colors = Column(r => r.Draft.Color), clarities = Column(r => r.Draft.Clarity),
            cuts = Column(r => r.Draft.Cut), polishes = Column(r => r.Draft.Polish), symmetries = Column(r => r.Draft.Symmetry),
            fluorescences = Column(r => r.Draft.Fluorescence), labGrown = Column(r => r.Draft.LabGrown), feedPrices = Column(r => r.Draft.FeedPrice),
            pricesPerCarat = Column(r => r.Price.PricePerCarat), retailPrices = Column(r => r.Price.RetailPrice),
            markups = Column(r => r.Price.MarkupRatio), ratings = Column(r => (short)r.Price.Rating), ruleIds = Column(r => r.Price.PricingRuleId),
            availabilities = Column(r => r.Draft.Availability), certLabs = Column(r => r.Draft.CertificateLab),
            certNumbers = Column(r => r.Draft.CertificateNumber), images = Column(r => r.Draft.ImageUrl), videos = Column(r => r.Draft.VideoUrl),
            suppliers = Column(r => r.Draft.SupplierName), sourceUpdated = Column(r => r.Draft.SourceUpdatedAt.UtcDateTime),
            newIds = Column(_ => Guid.CreateVersion7()),
        }, transaction, cancellationToken: cancellationToken));
        return new CatalogChanges(written, priceChanges, events);
    }
}
