-- The transactional outbox of broker transports (ADR 0005, ADR 0028). With Messaging:Transport=servicebus a publish
-- inside a transaction writes here, so the message exists if and only if the change commits; the dispatcher role
-- relays rows to Service Bus in batches and deletes them once the broker accepted them. A crash between the send
-- and the delete sends again: the broker's duplicate detection (message id) and idempotent handlers absorb it.
CREATE TABLE outbox_messages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue            text        NOT NULL,
    message_id       text        NOT NULL,
    body             text        NOT NULL,
    headers          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- Scheduled delivery (Service Bus ScheduledEnqueueTimeUtc); null = at once.
    visible_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Relay retries: a failed send is tried again after a backoff, never dropped.
    send_attempts    integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text
);

-- The relay claims due rows oldest first with FOR UPDATE SKIP LOCKED.
CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at, id);
-- Maintenance asks whether a message for a run is still waiting to be relayed.
CREATE INDEX outbox_messages_queue_idx ON outbox_messages (queue, message_id);
