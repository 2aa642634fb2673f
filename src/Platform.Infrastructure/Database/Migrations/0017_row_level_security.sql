-- Row-level security as the second guard behind the organization filter every tenant query carries (ADR 0029).
-- The api runs a tenant request's statements as the role platform_tenant with app.organization_id set (TenantConnection);
-- under that role a table with org_id shows and accepts only that organization's rows, and nothing when the setting is
-- missing. The login the api and worker connect with owns the tables (it runs the migrations), and RLS is enabled but
-- not forced, so the owner bypasses it: the worker, key lookup and platform-admin routes keep their cross-tenant access
-- without a second login, and their plans are untouched. Forcing RLS would put a policy qual in front of every query
-- of a non-superuser owner (Azure's login), and predicates whose operators are not LEAKPROOF (numeric comparisons)
-- would then stop being index conditions.
DO $$
BEGIN
    CREATE ROLE platform_tenant NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database of this cluster created it already
END $$;

-- The login may switch to the role (SET ROLE); the role gets the data privileges it needs, now and for later tables.
GRANT platform_tenant TO CURRENT_USER;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO platform_tenant;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO platform_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO platform_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO platform_tenant;

DO $$
DECLARE
    tenant_table regclass;
    rule text := $rule$(org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid)$rule$;
BEGIN
    FOR tenant_table IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %s TO platform_tenant USING %s WITH CHECK %s', tenant_table, rule, rule);
    END LOOP;
END $$;

-- The organization itself: a tenant sees its own row (limits, plan) and no other.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations TO platform_tenant
    USING (id = NULLIF(current_setting('app.organization_id', true), '')::uuid)
    WITH CHECK (id = NULLIF(current_setting('app.organization_id', true), '')::uuid);
