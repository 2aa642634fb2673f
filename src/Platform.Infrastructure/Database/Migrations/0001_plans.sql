-- Service plans: what an organization may run and how fast it may call the API (PLATFORM §4, §11).
CREATE TABLE plans (
    code               text PRIMARY KEY CHECK (code IN ('free', 'pro', 'enterprise')),
    name               text        NOT NULL,
    running_capacity   integer     NOT NULL CHECK (running_capacity > 0),
    queued_capacity    integer     NOT NULL CHECK (queued_capacity >= 0),
    rpm_read           integer     NOT NULL CHECK (rpm_read > 0),
    rpm_write          integer     NOT NULL CHECK (rpm_write > 0),
    max_feeds          integer     NOT NULL CHECK (max_feeds > 0),
    retention_days     integer     NOT NULL CHECK (retention_days > 0)
);

INSERT INTO plans (code, name, running_capacity, queued_capacity, rpm_read, rpm_write, max_feeds, retention_days) VALUES
    ('free',       'Free',        1,   5,   500,   60,   2,  30),
    ('pro',        'Pro',         5,  50,  2000,  300,  20,  90),
    ('enterprise', 'Enterprise', 20, 200, 10000, 1000, 200, 365);
