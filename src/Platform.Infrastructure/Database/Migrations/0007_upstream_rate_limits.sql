-- The shared upstream rate limit of each feed: one token bucket per feed, used by every api and worker process, so
-- a supplier sees at most feeds.upstream_rps requests per second from all replicas together (PLATFORM §5.3, §11).
-- A token bucket rather than Diamond Opus's fixed 1 s window: the window admits a whole burst at each second's
-- edge (up to twice the rate across a boundary); the bucket refills continuously, so 2 req/s means one every 500 ms
-- once the burst (capacity = the rate) is spent. Times come from the database clock, the one clock all processes share.
CREATE TABLE upstream_rate_limits (
    feed_id              uuid             PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    tokens               double precision NOT NULL,  -- tokens left after the latest attempt
    tokens_before        double precision NOT NULL,  -- tokens the latest attempt found (after refill); >= 1 means it was admitted
    refilled_at          timestamptz      NOT NULL,  -- when tokens were last brought up to date
    requests_per_second  double precision NOT NULL,  -- the rate the latest attempt asked for (for operators)
    admitted_total       bigint           NOT NULL DEFAULT 0
);
