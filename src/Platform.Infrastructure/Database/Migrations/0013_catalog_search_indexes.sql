-- Indexes for GET /api/v1/diamonds (ADR 0020). Every search pages by keyset over (sort key, id), so each sort has an
-- index (org_id, key, id) on active stones: the first page is an index scan that stops after `limit` rows, and a later
-- page starts where the cursor points instead of skipping rows. Existing ones reused: diamonds_price_idx
-- (org_id, retail_price, id) and diamonds_created_idx (org_id, created_at DESC, id DESC) from 0009.
--
-- Plain CREATE INDEX (not CONCURRENTLY): migrations run in a transaction. On a large live catalog, create these
-- CONCURRENTLY by hand first; IF NOT EXISTS then makes this script a no-op.

-- Grade order for sort=color / sort=clarity: position in the vocabulary (Platform.Domain.Catalog.DiamondGrades,
-- same order), unknown or missing grades last (100). IMMUTABLE so it can be indexed; a simple SQL body is inlined
-- by the planner, so the query expression matches the index expression.
CREATE FUNCTION catalog_color_rank(color text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(array_position(
        ARRAY['D','E','F','G','H','I','J','K','L','M','N','O','P','Q','R','S','T','U','V','W','X','Y','Z']::text[], color), 100);

CREATE FUNCTION catalog_clarity_rank(clarity text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(array_position(
        ARRAY['FL','IF','VVS1','VVS2','VS1','VS2','SI1','SI2','SI3','I1','I2','I3']::text[], clarity), 100);

CREATE INDEX IF NOT EXISTS diamonds_carats_idx ON diamonds (org_id, carats, id) WHERE status = 'active';

-- Shape is the filter nearly every storefront sends; with one shape, price order comes straight from this index.
CREATE INDEX IF NOT EXISTS diamonds_shape_price_idx ON diamonds (org_id, shape, retail_price, id) WHERE status = 'active';

CREATE INDEX IF NOT EXISTS diamonds_color_rank_idx ON diamonds (org_id, catalog_color_rank(color), id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS diamonds_clarity_rank_idx ON diamonds (org_id, catalog_clarity_rank(clarity), id) WHERE status = 'active';

-- Detail, price history and batchGet look stones up by (org_id, id); the primary key on id serves them, and
-- price_history_diamond_idx (org_id, diamond_id, changed_at DESC, id DESC) from 0009 serves the history pages.
