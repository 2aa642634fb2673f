-- The Postgres message transport (ADR 0005): one table for every queue, claimed with FOR UPDATE SKIP LOCKED.
-- visible_at doubles as the lease: a claim pushes it forward, so a message whose consumer died becomes
-- visible again when the lease runs out. attempts is the fencing token of a claim: settling a message
-- checks it, so a consumer whose lease expired cannot settle the next consumer's claim.
CREATE TABLE queue_messages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue         text        NOT NULL,
    message_id    text        NOT NULL,
    body          text        NOT NULL,
    headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enqueued_at   timestamptz NOT NULL DEFAULT now(),
    visible_at    timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    max_attempts  integer     NOT NULL CHECK (max_attempts > 0),
    claimed_by    text,
    last_error    text,
    -- De-duplication: the same message id is accepted once while it is queued (Service Bus does the same per window).
    UNIQUE (queue, message_id)
);

CREATE INDEX queue_messages_ready_idx ON queue_messages (queue, visible_at, id);

-- Messages that used up their attempts or were refused by their handler; kept for inspection and replay.
CREATE TABLE dead_letters (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue         text        NOT NULL,
    message_id    text        NOT NULL,
    body          text        NOT NULL,
    headers       jsonb       NOT NULL,
    enqueued_at   timestamptz NOT NULL,
    attempts      integer     NOT NULL,
    reason        text        NOT NULL,
    dead_at       timestamptz NOT NULL DEFAULT now(),
    replayed_at   timestamptz
);

CREATE INDEX dead_letters_queue_idx ON dead_letters (queue, dead_at DESC) WHERE replayed_at IS NULL;
