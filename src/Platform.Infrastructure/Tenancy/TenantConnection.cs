namespace Platform.Infrastructure.Tenancy;

/// <summary>
/// A connection whose statements run as <see cref="Role"/> with <c>app.organization_id</c> set, so Postgres row-level
/// security (ADR 0029, migration 0017) hides every other organization's rows even from a query that forgot its
/// <c>org_id</c> filter. Open one per tenant request operation with <see cref="OpenAsync"/> instead of
/// <c>dataSource.OpenConnectionAsync</c>; disposing resets the role and the setting before the connection returns to the pool.
/// </summary>
public sealed class TenantConnection : IAsyncDisposable
{
    public const string Role = "platform_tenant";
    public const string Setting = "app.organization_id";

    private readonly bool switched;

    private TenantConnection(NpgsqlConnection connection, bool switched)
    {
        Connection = connection;
        this.switched = switched;
    }

    public NpgsqlConnection Connection { get; }

    public static async Task<TenantConnection> OpenAsync(NpgsqlDataSource dataSource, Guid orgId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // One round trip: the role first, so the setting is made by the role that is checked against it.
            await connection.ExecuteAsync(new CommandDefinition(
                $"SET ROLE {Role}; SELECT set_config('{Setting}', @orgId, false)", new { orgId = orgId.ToString() }, cancellationToken: cancellationToken));
            return new TenantConnection(connection, switched: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// For stores whose owner is an organization or the platform (alert channels and rules, <paramref name="orgId"/> null):
    /// an organization's work runs on a tenant connection, the platform operator's stays on the login, which owns the tables.
    /// </summary>
    public static async Task<TenantConnection> OpenForOwnerAsync(NpgsqlDataSource dataSource, Guid? orgId, CancellationToken cancellationToken) =>
        orgId is { } org
            ? await OpenAsync(dataSource, org, cancellationToken)
            : new TenantConnection(await dataSource.OpenConnectionAsync(cancellationToken), switched: false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (switched && Connection.FullState == System.Data.ConnectionState.Open)
            {
                // Npgsql also runs DISCARD ALL when a connection goes back to the pool; resetting here does not depend on that setting.
                await Connection.ExecuteAsync($"RESET ROLE; RESET {Setting}");
            }
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
