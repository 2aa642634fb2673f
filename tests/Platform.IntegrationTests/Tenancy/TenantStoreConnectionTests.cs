using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Alerting;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Rules;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Pricing;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Tenancy;

/// <summary>
/// Every organization-scoped store the api uses runs on a <see cref="TenantConnection"/> (ADR 0029). Each test first
/// shows the store sees a row, then adds a restrictive policy that blinds <c>platform_tenant</c> only: a store on a
/// tenant connection then sees nothing, while a store moved back to the plain login (which bypasses RLS as the tables'
/// owner) would still see the row and fail the test. Writes with an audit entry prove the entry passes the policy's
/// <c>WITH CHECK</c> in the same tenant transaction, and fail when audit inserts are refused to the tenant role.
/// </summary>
public sealed class TenantStoreConnectionTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pricing_rules_are_read_and_written_as_the_tenant_with_their_audit_entry()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var rules = api.Factory.Services.GetRequiredService<PricingRuleRepository>();
        var rule = await rules.CreateAsync(api.A.OrgId, new PricingRule { Id = Guid.CreateVersion7(), MarkupRatio = 1.2m }, Change, Ct);
        (await AuditOrgsAsync(api, "pricing_rule.created")).ShouldBe([api.A.OrgId]);
        (await rules.IsFeedOfAsync(api.A.OrgId, api.A.FeedId, Ct)).ShouldBeTrue();

        await BlindTenantAsync(api, "pricing_rules", "feeds");

        (await rules.ListAsync(api.A.OrgId, includeInactive: true, Ct)).ShouldBeEmpty();
        (await rules.FindAsync(api.A.OrgId, rule.Id, Ct)).ShouldBeNull();
        (await rules.IsFeedOfAsync(api.A.OrgId, api.A.FeedId, Ct)).ShouldBeFalse();
        (await rules.DeactivateAsync(api.A.OrgId, rule.Id, Change, Ct)).ShouldBeFalse();

        await RefuseTenantAuditAsync(api);
        await Should.ThrowAsync<PostgresException>(() => rules.CreateAsync(api.A.OrgId, new PricingRule { Id = Guid.CreateVersion7(), MarkupRatio = 1.1m }, Change, Ct));
    }

    [Fact]
    public async Task Api_key_management_runs_as_the_tenant_but_the_lookup_by_hash_does_not()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var manager = api.Factory.Services.GetRequiredService<ApiKeyManager>();
        var change = new ApiKeyChange(api.A.OrgId, "test", null, null);
        var created = await manager.CreateAsync(change, "ci", [Platform.Domain.Tenancy.Scopes.CatalogRead], null, maxKeys: 100, Ct);
        created.Outcome.ShouldBe(ApiKeyOutcome.Done);
        (await AuditOrgsAsync(api, "api_key.created")).ShouldBe([api.A.OrgId]);

        await BlindTenantAsync(api, "api_keys");

        (await manager.ListAsync(api.A.OrgId, Ct)).ShouldBeEmpty();
        (await manager.FindAsync(api.A.OrgId, created.Key!.Id, Ct)).ShouldBeNull();
        (await manager.RevokeAsync(change, created.Key.Id, Ct)).Outcome.ShouldBe(ApiKeyOutcome.NotFound);
        (await manager.RotateAsync(change, created.Key.Id, TimeSpan.FromHours(1), Ct)).Outcome.ShouldBe(ApiKeyOutcome.NotFound);
        // Authentication looks keys up by hash before it knows the organization: still on the login, so it still works.
        using var client = api.ClientWith(api.A.AdminKey);
        (await client.GetAsync("/api/v1/feeds", Ct)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        await RefuseTenantAuditAsync(api);
        await Should.ThrowAsync<PostgresException>(() => manager.CreateAsync(change, "ci-2", [Platform.Domain.Tenancy.Scopes.CatalogRead], null, 100, Ct));
    }

    [Fact]
    public async Task Audit_log_reads_and_members_run_as_the_tenant()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await api.Factory.Services.GetRequiredService<PricingRuleRepository>()
            .CreateAsync(api.A.OrgId, new PricingRule { Id = Guid.CreateVersion7(), MarkupRatio = 1.2m }, Change, Ct);
        var audit = api.Factory.Services.GetRequiredService<AuditLogQueries>();
        var members = api.Factory.Services.GetRequiredService<OrganizationMemberStore>();
        var member = (await members.AddAsync(api.A.OrgId, "ada@example.com", null, "viewer", Ct)).ShouldNotBeNull();
        var filter = new AuditLogFilter(null, null, null, null, null);
        (await audit.ListAsync(api.A.OrgId, filter, null, 10, Ct)).ShouldNotBeEmpty();
        (await members.ListAsync(api.A.OrgId, 10, Ct)).Count.ShouldBe(1);

        await BlindTenantAsync(api, "audit_log", "organization_members");

        (await audit.ListAsync(api.A.OrgId, filter, null, 10, Ct)).ShouldBeEmpty();
        (await members.ListAsync(api.A.OrgId, 10, Ct)).ShouldBeEmpty();
        (await members.ChangeRoleAsync(api.A.OrgId, member.Id, "admin", Ct)).ShouldBeFalse();
        (await members.RemoveAsync(api.A.OrgId, member.Id, Ct)).ShouldBeFalse();
        // A member for another organization is refused by the policy's WITH CHECK, not only by the app.
        await using (var tenant = await TenantConnection.OpenAsync(api.Database, api.A.OrgId, Ct))
        {
            await Should.ThrowAsync<PostgresException>(() => tenant.Connection.ExecuteAsync(
                "INSERT INTO organization_members (id, org_id, email, role) VALUES (@id, @OrgId, 'x@example.com', 'viewer')", new { id = Guid.NewGuid(), api.B.OrgId }));
        }
    }

    [Fact]
    public async Task Run_trigger_reads_and_controls_run_as_the_tenant_and_the_progress_view_honours_the_policies()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var trigger = api.Factory.Services.GetRequiredService<RunTrigger>();
        var runs = api.Factory.Services.GetRequiredService<RunQueries>();
        var control = api.Factory.Services.GetRequiredService<RunControl>();
        var feeds = api.Factory.Services.GetRequiredService<FeedQueries>();
        var started = await trigger.StartAsync(api.A.OrgId, api.A.FeedId, RunType.Full, "api", Ct);
        started.Outcome.ShouldBe(RunTriggerOutcome.Started);
        var runId = started.RunId!.Value;
        (await runs.FindAsync(api.A.OrgId, runId, Ct)).ShouldNotBeNull();
        (await feeds.ListAsync(api.A.OrgId, Ct)).Count.ShouldBe(1);

        // The view is an invoker view (migration 0022): on a tenant connection it shows no other organization's runs
        // even without a filter. As an owner's view it would show them all.
        await using (var tenant = await TenantConnection.OpenAsync(api.Database, api.B.OrgId, Ct))
        {
            (await tenant.Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pipeline_run_progress")).ShouldBe(0);
        }

        await BlindTenantAsync(api, "pipeline_runs", "feeds");

        (await runs.FindAsync(api.A.OrgId, runId, Ct)).ShouldBeNull();
        (await runs.ListAsync(api.A.OrgId, null, null, 10, Ct)).ShouldBeEmpty();
        (await runs.PartitionsAsync(api.A.OrgId, runId, Ct)).ShouldBeNull();
        (await control.CancelAsync(api.A.OrgId, runId, Ct)).Outcome.ShouldBe(RunControlOutcome.NotFound);
        (await control.RetryFailedPartitionsAsync(api.A.OrgId, runId, Ct)).Outcome.ShouldBe(RunControlOutcome.NotFound);
        (await feeds.ListAsync(api.A.OrgId, Ct)).ShouldBeEmpty();
        (await trigger.StartAsync(api.A.OrgId, api.B.FeedId, null, "api", Ct)).Outcome.ShouldBe(RunTriggerOutcome.FeedNotFound);
        (await trigger.StartAsync(api.A.OrgId, api.A.FeedId, null, "api", Ct)).Outcome.ShouldBe(RunTriggerOutcome.FeedNotFound);
    }

    [Fact]
    public async Task Organization_alert_channels_rules_and_history_run_as_the_tenant_and_platform_ones_on_the_login()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var channels = api.Factory.Services.GetRequiredService<AlertChannelStore>();
        var rules = api.Factory.Services.GetRequiredService<AlertRuleStore>();
        var history = api.Factory.Services.GetRequiredService<AlertHistoryQueries>();
        var channel = (await channels.CreateAsync(api.A.OrgId, "ops", AlertChannelKinds.Webhook, null, "https://hooks.example/a", 20, Ct)).ShouldNotBeNull();
        var platformChannel = (await channels.CreateAsync(null, "platform", AlertChannelKinds.Webhook, null, "https://hooks.example/p", 20, Ct)).ShouldNotBeNull();
        var (_, rule) = await rules.CreateAsync(api.A.OrgId, "failures", AlertKinds.RunFailed, 60, true, [channel.Id], 50, Ct);
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO alert_events (rule_id, org_id, subject_org_id, kind, subject, severity, status, summary)
                VALUES (@RuleId, @OrgId, @OrgId, 'run_failed', 'run:x', 'error', 'firing', 'a run failed')
                """, new { RuleId = rule!.Id, api.A.OrgId });
        }
        (await history.ListAsync(api.A.OrgId, null, null, null, 10, Ct)).Count.ShouldBe(1);
        (await rules.ListAsync(api.A.OrgId, Ct)).Count.ShouldBe(1);

        await BlindTenantAsync(api, "alert_channels", "alert_rules", "alert_events");

        (await channels.ListAsync(api.A.OrgId, Ct)).ShouldBeEmpty();
        (await channels.FindAsync(api.A.OrgId, channel.Id, Ct)).ShouldBeNull();
        (await rules.ListAsync(api.A.OrgId, Ct)).ShouldBeEmpty();
        (await rules.FindAsync(api.A.OrgId, rule.Id, Ct)).ShouldBeNull();
        (await history.ListAsync(api.A.OrgId, null, null, null, 10, Ct)).ShouldBeEmpty();
        (await channels.DeleteAsync(api.A.OrgId, channel.Id, Ct)).ShouldBeFalse();
        // The operator's platform-wide channels stay on the login: the tenant role's blindness does not reach them.
        (await channels.FindAsync(null, platformChannel.Id, Ct)).ShouldNotBeNull();
        (await channels.ListAsync(null, Ct)).Count.ShouldBe(1);
    }

    private static readonly PricingRuleChange Change = new("test", null);

    /// <summary>Hides every row of the tables from platform_tenant only (restrictive policies AND with the tenant policy).</summary>
    private static async Task BlindTenantAsync(TwoTenantApi api, params string[] tables)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        foreach (var table in tables)
        {
            await connection.ExecuteAsync($"CREATE POLICY test_blind ON {table} AS RESTRICTIVE FOR SELECT TO {TenantConnection.Role} USING (false)");
        }
    }

    /// <summary>Refuses audit inserts to platform_tenant only, so a write whose audit entry is in its tenant transaction fails.</summary>
    private static async Task RefuseTenantAuditAsync(TwoTenantApi api)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync($"CREATE POLICY test_refuse ON audit_log AS RESTRICTIVE FOR INSERT TO {TenantConnection.Role} WITH CHECK (false)");
    }

    private static async Task<Guid[]> AuditOrgsAsync(TwoTenantApi api, string action)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<Guid>("SELECT DISTINCT org_id FROM audit_log WHERE action = @action", new { action })).ToArray();
    }
}
