using Platform.Domain.Tenancy;

namespace Platform.Infrastructure.Tenancy;

/// <summary>A person in an organization, known by e-mail (lower-cased) until they sign in, then by user id too.</summary>
public sealed class OrganizationMember
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public string? Email { get; init; }
    public string? UserId { get; init; }
    public required string Role { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Members and their roles (<see cref="MemberRole"/>), for the dashboard. Every query filters by organization, so a
/// member id of another organization reads as absent.
/// </summary>
public sealed class OrganizationMemberStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """id AS "Id", org_id AS "OrgId", email AS "Email", user_id AS "UserId", role AS "Role", created_at AS "CreatedAt" """;

    /// <summary>Adds a member; null when the organization already has one with this e-mail or user id.</summary>
    public async Task<OrganizationMember?> AddAsync(Guid orgId, string? email, string? userId, string role, CancellationToken cancellationToken)
    {
        if (!MemberRole.IsKnown(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, $"Role must be one of {string.Join(", ", MemberRole.All)}.");
        }
        if (email is null && userId is null)
        {
            throw new ArgumentException("A member needs an e-mail or a user id.", nameof(email));
        }
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.QuerySingleOrDefaultAsync<OrganizationMember>(new CommandDefinition($"""
            INSERT INTO organization_members (id, org_id, email, user_id, role) VALUES (@id, @orgId, @email, @userId, @role)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """, new { id = Guid.CreateVersion7(), orgId, email = email?.Trim().ToLowerInvariant(), userId, role }, cancellationToken: cancellationToken));
    }

    /// <summary>Oldest first; an organization has few members, and at most <paramref name="limit"/> are read.</summary>
    public async Task<IReadOnlyList<OrganizationMember>> ListAsync(Guid orgId, int limit, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return (await connection.QueryAsync<OrganizationMember>(new CommandDefinition(
            $"SELECT {Columns} FROM organization_members WHERE org_id = @orgId ORDER BY created_at, id LIMIT @limit",
            new { orgId, limit }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<bool> ChangeRoleAsync(Guid orgId, Guid memberId, string role, CancellationToken cancellationToken)
    {
        if (!MemberRole.IsKnown(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, $"Role must be one of {string.Join(", ", MemberRole.All)}.");
        }
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organization_members SET role = @role WHERE org_id = @orgId AND id = @memberId",
            new { orgId, memberId, role }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> RemoveAsync(Guid orgId, Guid memberId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM organization_members WHERE org_id = @orgId AND id = @memberId", new { orgId, memberId }, cancellationToken: cancellationToken)) == 1;
    }
}
