-- Raw supplier rows and the priced catalog (PLATFORM §4). Prices are dollars, numeric(12,2).
CREATE TABLE raw_items (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id                uuid        NOT NULL,
    feed_id               uuid        NOT NULL,
    supplier_stone_id     text        NOT NULL,
    offer_id              text,
    run_id                uuid        NOT NULL,   -- the run that last changed the payload
    seen_run_id           uuid        NOT NULL,   -- the last full run that saw the stone (soft deletes)
    payload               jsonb       NOT NULL,
    payload_hash          bytea       NOT NULL,
    source_updated_at     timestamptz NOT NULL,
    consolidation_status  text        NOT NULL DEFAULT 'pending' CHECK (consolidation_status IN ('pending', 'processing', 'done', 'failed')),
    claimed_at            timestamptz,
    claimed_by            text,
    consolidated_at       timestamptz,
    last_error            text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, feed_id, supplier_stone_id),
    FOREIGN KEY (org_id, feed_id) REFERENCES feeds (org_id, id) ON DELETE CASCADE
);

CREATE INDEX raw_items_pending_idx ON raw_items (feed_id, id) WHERE consolidation_status = 'pending';
CREATE INDEX raw_items_processing_idx ON raw_items (claimed_at) WHERE consolidation_status = 'processing';

CREATE TABLE diamonds (
    id                  uuid PRIMARY KEY,
    org_id              uuid          NOT NULL,
    feed_id             uuid          NOT NULL,
    supplier_stone_id   text          NOT NULL,
    offer_id            text,
    shape               text          NOT NULL,
    carats              numeric(6,2)  NOT NULL,
    color               text,
    clarity             text,
    cut                 text,
    polish              text,
    symmetry            text,
    fluorescence        text,
    lab_grown           boolean       NOT NULL,
    feed_price          numeric(12,2) NOT NULL,
    price_per_carat     numeric(12,2),
    retail_price        numeric(12,2) NOT NULL,
    markup_ratio        numeric(6,4)  NOT NULL,
    rating              smallint      NOT NULL,
    pricing_rule_id     uuid,
    availability        text          NOT NULL CHECK (availability IN ('available', 'on_hold', 'sold', 'unavailable')),
    certificate_lab     text,
    certificate_number  text,
    image_url           text,
    video_url           text,
    supplier_name       text,
    attributes          jsonb         NOT NULL DEFAULT '{}'::jsonb,
    status              text          NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    source_updated_at   timestamptz   NOT NULL,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    deleted_at          timestamptz,
    UNIQUE (org_id, feed_id, supplier_stone_id),
    FOREIGN KEY (org_id, feed_id) REFERENCES feeds (org_id, id) ON DELETE CASCADE
);

CREATE INDEX diamonds_search_idx ON diamonds (org_id, shape, carats, color, clarity) WHERE status = 'active';
CREATE INDEX diamonds_price_idx ON diamonds (org_id, retail_price, id) WHERE status = 'active';
CREATE INDEX diamonds_created_idx ON diamonds (org_id, created_at DESC, id DESC) WHERE status = 'active';

CREATE TABLE price_history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          uuid          NOT NULL,
    diamond_id      uuid          NOT NULL REFERENCES diamonds (id) ON DELETE CASCADE,
    run_id          uuid          NOT NULL,
    old_feed_price  numeric(12,2),
    new_feed_price  numeric(12,2) NOT NULL,
    old_retail_price numeric(12,2),
    new_retail_price numeric(12,2) NOT NULL,
    changed_at      timestamptz   NOT NULL DEFAULT now(),
    -- One price change per stone per run: a re-consolidated batch cannot write the same change twice.
    UNIQUE (diamond_id, run_id)
);

CREATE INDEX price_history_diamond_idx ON price_history (org_id, diamond_id, changed_at DESC, id DESC);

CREATE TABLE diamond_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid        NOT NULL,
    diamond_id  uuid        NOT NULL REFERENCES diamonds (id) ON DELETE CASCADE,
    run_id      uuid        NOT NULL,
    type        text        NOT NULL CHECK (type IN ('created', 'price_changed', 'availability_changed', 'removed')),
    old_value   jsonb,
    new_value   jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (diamond_id, run_id, type)
);

CREATE INDEX diamond_events_org_idx ON diamond_events (org_id, created_at DESC, id DESC);

CREATE TABLE pricing_rules (
    id            uuid PRIMARY KEY,
    org_id        uuid          NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    priority      integer       NOT NULL CHECK (priority >= 0),
    carat_min     numeric(6,2),
    carat_max     numeric(6,2),
    shapes        text[],
    lab_grown     boolean,
    feed_id       uuid,
    markup_ratio  numeric(6,4)  NOT NULL CHECK (markup_ratio > 0 AND markup_ratio <= 10),
    rating        smallint      CHECK (rating BETWEEN 1 AND 10),
    active        boolean       NOT NULL DEFAULT true,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now(),
    CHECK (carat_min IS NULL OR carat_max IS NULL OR carat_min <= carat_max)
);

CREATE INDEX pricing_rules_org_idx ON pricing_rules (org_id, priority) WHERE active;

-- Bumped by every consolidation of a tenant: cache keys include it, so exactly that tenant's cache turns over.
CREATE TABLE dataset_versions (
    org_id      uuid    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    feed_id     uuid    NOT NULL,
    version     bigint  NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, feed_id)
);
