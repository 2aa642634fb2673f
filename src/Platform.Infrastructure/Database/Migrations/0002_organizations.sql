-- Organizations are the tenants. Limits come from the plan unless the operator sets an override.
CREATE TABLE organizations (
    id                         uuid PRIMARY KEY,
    slug                       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name                       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plan                       text        NOT NULL REFERENCES plans (code),
    running_capacity_override  integer     CHECK (running_capacity_override > 0),
    queued_capacity_override   integer     CHECK (queued_capacity_override >= 0),
    rpm_read_override          integer     CHECK (rpm_read_override > 0),
    rpm_write_override         integer     CHECK (rpm_write_override > 0),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
