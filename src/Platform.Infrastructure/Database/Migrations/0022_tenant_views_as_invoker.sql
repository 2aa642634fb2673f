-- A view runs with its owner's rights by default, and the owner (the login) bypasses row-level security: a tenant
-- connection reading runs through pipeline_run_progress would see every organization's runs (ADR 0029). As an invoker
-- view the policies of pipeline_runs and run_partitions apply to whoever queries it; for the login nothing changes.
-- security_invoker needs Postgres 15 (tests and run.sh use 15, Azure 16).
ALTER VIEW pipeline_run_progress SET (security_invoker = true);
