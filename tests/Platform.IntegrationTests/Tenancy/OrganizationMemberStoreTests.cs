using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.IntegrationTests.Tenancy;

/// <summary>Members and roles of an organization (for the dashboard): unique per organization, invisible to others.</summary>
public sealed class OrganizationMemberStoreTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Members_are_added_listed_changed_and_removed_within_their_organization_only()
    {
        await using var dataSource = (await servers.CreateDatabaseAsync()).CreateDataSource();
        var (orgA, orgB) = await SeedOrganizationsAsync(dataSource);
        var members = new OrganizationMemberStore(dataSource);

        var owner = await members.AddAsync(orgA, " Ada@Example.COM ", null, MemberRole.Owner, Ct);
        var viewer = await members.AddAsync(orgA, null, "idp|42", MemberRole.Viewer, Ct);
        var duplicateEmail = await members.AddAsync(orgA, "ada@example.com", null, MemberRole.Viewer, Ct);
        var sameEmailElsewhere = await members.AddAsync(orgB, "ada@example.com", null, MemberRole.Admin, Ct);

        owner.ShouldNotBeNull().Email.ShouldBe("ada@example.com");
        viewer.ShouldNotBeNull().UserId.ShouldBe("idp|42");
        duplicateEmail.ShouldBeNull();
        sameEmailElsewhere.ShouldNotBeNull();
        (await members.ListAsync(orgA, 100, Ct)).Select(m => (m.Id, m.Role)).ShouldBe([(owner.Id, "owner"), (viewer.Id, "viewer")]);

        (await members.ChangeRoleAsync(orgA, viewer.Id, MemberRole.Editor, Ct)).ShouldBeTrue();
        (await members.ChangeRoleAsync(orgB, viewer.Id, MemberRole.Owner, Ct)).ShouldBeFalse();
        (await members.RemoveAsync(orgB, owner.Id, Ct)).ShouldBeFalse();
        (await members.RemoveAsync(orgA, owner.Id, Ct)).ShouldBeTrue();

        (await members.ListAsync(orgA, 100, Ct)).Select(m => (m.Id, m.Role)).ShouldBe([(viewer.Id, "editor")]);
        (await members.ListAsync(orgB, 100, Ct)).Select(m => m.Id).ShouldBe([sameEmailElsewhere.Id]);
    }

    [Fact]
    public async Task Unknown_roles_and_members_without_identity_are_refused_before_and_by_the_database()
    {
        await using var dataSource = (await servers.CreateDatabaseAsync()).CreateDataSource();
        var (orgA, _) = await SeedOrganizationsAsync(dataSource);
        var members = new OrganizationMemberStore(dataSource);

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => members.AddAsync(orgA, "x@example.com", null, "superuser", Ct));
        await Should.ThrowAsync<ArgumentException>(() => members.AddAsync(orgA, null, null, MemberRole.Viewer, Ct));
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        var e = await Should.ThrowAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO organization_members (id, org_id, email, role) VALUES (@id, @orgA, 'x@example.com', 'superuser')", new { id = Guid.NewGuid(), orgA }));
        e.SqlState.ShouldBe(PostgresErrorCodes.CheckViolation);
    }

    private static async Task<(Guid OrgA, Guid OrgB)> SeedOrganizationsAsync(NpgsqlDataSource dataSource)
    {
        var orgA = Guid.CreateVersion7();
        var orgB = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync("""
            INSERT INTO organizations (id, slug, name, plan) VALUES (@orgA, 'members-a', 'A', 'free'), (@orgB, 'members-b', 'B', 'free')
            """, new { orgA, orgB });
        return (orgA, orgB);
    }
}
