using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Tenancy;

/// <summary>
/// Postgres row-level security as the second guard (ADR 0029): on the api's tenant connection a query that forgot its
/// org_id filter sees one organization only, writes for another organization fail, and the pool gets the login back.
/// </summary>
public sealed class RowLevelSecurityTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_query_without_the_org_filter_on_a_tenant_connection_returns_no_rows_of_another_organization()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, [new SeedStone { Shape = "OVAL" }]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone { Shape = "PEAR" }, new SeedStone { Shape = "PEAR" }]);
        var dataSource = api.Factory.Services.GetRequiredService<NpgsqlDataSource>();

        await using (var tenant = await TenantConnection.OpenAsync(dataSource, api.A.OrgId, Ct))
        {
            // Deliberately unfiltered: the policy alone decides.
            (await tenant.Connection.QueryAsync<Guid>("SELECT DISTINCT org_id FROM feeds")).ShouldBe([api.A.OrgId]);
            (await tenant.Connection.QueryAsync<Guid>("SELECT DISTINCT org_id FROM api_keys")).ShouldBe([api.A.OrgId]);
            (await tenant.Connection.QueryAsync<Guid>("SELECT id FROM organizations")).ShouldBe([api.A.OrgId]);
            (await tenant.Connection.QueryAsync<string>("SELECT shape FROM diamonds")).ShouldBe(["OVAL"]);
            // Asking for B's rows by id does not help either.
            (await tenant.Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM feeds WHERE org_id = @OrgId", new { api.B.OrgId })).ShouldBe(0);
        }

        // The login itself (worker, key lookup, operator routes) still sees every organization.
        await using var system = await dataSource.OpenConnectionAsync(Ct);
        (await system.QueryAsync<Guid>("SELECT DISTINCT org_id FROM feeds")).Order().ShouldBe(new[] { api.A.OrgId, api.B.OrgId }.Order());
        (await system.ExecuteScalarAsync<long>("SELECT count(*) FROM diamonds")).ShouldBe(3);
    }

    [Fact]
    public async Task Writes_for_another_organization_fail_and_a_missing_setting_sees_nothing()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var dataSource = api.Factory.Services.GetRequiredService<NpgsqlDataSource>();

        await using (var tenant = await TenantConnection.OpenAsync(dataSource, api.A.OrgId, Ct))
        {
            var insert = await Should.ThrowAsync<PostgresException>(() => tenant.Connection.ExecuteAsync(
                "INSERT INTO feeds (id, org_id, name, adapter) VALUES (@id, @OrgId, 'smuggled', 'simulator')", new { id = Guid.NewGuid(), api.B.OrgId }));
            insert.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
            (await tenant.Connection.ExecuteAsync("UPDATE feeds SET name = 'renamed' WHERE id = @FeedId", new { api.B.FeedId })).ShouldBe(0);
            (await tenant.Connection.ExecuteAsync("DELETE FROM feeds WHERE id = @FeedId", new { api.B.FeedId })).ShouldBe(0);
            // Moving one's own row to another organization is refused too.
            await Should.ThrowAsync<PostgresException>(() => tenant.Connection.ExecuteAsync(
                "UPDATE feeds SET org_id = @B WHERE id = @FeedId", new { B = api.B.OrgId, api.A.FeedId }));
        }

        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            // The role without the setting (a path that forgot it): the guard fails closed.
            await connection.ExecuteAsync($"SET LOCAL ROLE {TenantConnection.Role}", transaction: transaction);
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM feeds", transaction: transaction)).ShouldBe(0);
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM organizations", transaction: transaction)).ShouldBe(0);
        }
        (await connection.QuerySingleAsync<string>("SELECT name FROM feeds WHERE id = @FeedId", new { api.B.FeedId })).ShouldBe("feed");
    }

    [Fact]
    public async Task A_pooled_connection_goes_back_to_the_login_after_a_tenant_connection()
    {
        var database = await servers.CreateDatabaseAsync();
        // One physical connection, so the next open is certainly the same one.
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString + ";Maximum Pool Size=1");
        await using (var tenant = await TenantConnection.OpenAsync(dataSource, Guid.NewGuid(), Ct))
        {
            (await tenant.Connection.QuerySingleAsync<string>("SELECT current_user")).ShouldBe(TenantConnection.Role);
        }

        await using var next = await dataSource.OpenConnectionAsync(Ct);

        (await next.QuerySingleAsync<string>("SELECT current_user")).ShouldNotBe(TenantConnection.Role);
        (await next.QuerySingleAsync<string?>($"SELECT NULLIF(current_setting('{TenantConnection.Setting}', true), '')")).ShouldBeNull();
    }

    [Fact]
    public async Task Every_table_with_an_org_id_has_row_level_security_with_a_tenant_policy_the_owner_bypasses()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Ct);

        var unguarded = await connection.QueryAsync<string>("""
            SELECT c.relname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped) OR c.relname = 'organizations')
              AND NOT (c.relrowsecurity AND NOT c.relforcerowsecurity
                       AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polroles = ARRAY['platform_tenant'::regrole::oid]))
            """);

        // Not forced: a forced policy sits in front of every query of a non-superuser owner (Azure's login), and
        // predicates with non-LEAKPROOF operators (numeric ranges) then stop being index conditions (ADR 0029).
        unguarded.ShouldBeEmpty("a tenant table without RLS for platform_tenant (or with FORCE): enable it in the migration that adds the table (see 0017)");
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relrowsecurity AND NOT relforcerowsecurity")).ShouldBeGreaterThan(5);
    }
}
