using Platform.Api.Hosting;
using Platform.Domain.Tenancy;

namespace Platform.IntegrationTests.Hosting;

/// <summary>The api binary's one-shot commands, as run.sh and a deployment step use them.</summary>
public sealed class ApiCommandTests(PlatformServers servers)
{
    [Fact]
    public async Task Migrate_applies_the_schema_and_prints_the_version_without_needing_redis()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);

        var (code, output) = await RunAsync(["migrate", $"--ConnectionStrings:platformdb={database.ConnectionString}"]);

        code.ShouldBe(0);
        output.ShouldContain("APPLIED=0001_plans");
        output.ShouldContain("SCHEMA_VERSION=");
    }

    [Fact]
    public async Task Seed_demo_prints_a_well_formed_key_once_and_a_new_one_when_asked()
    {
        var database = await servers.CreateDatabaseAsync();
        string[] args = ["seed-demo", $"--ConnectionStrings:platformdb={database.ConnectionString}", "--Demo:FeedUrl=http://127.0.0.1:5090"];

        var (first, firstOutput) = await RunAsync(args);
        var (second, secondOutput) = await RunAsync(args);
        var (third, thirdOutput) = await RunAsync([.. args, "--new-key"]);

        first.ShouldBe(0);
        ApiKeyToken.IsWellFormed(Value(firstOutput, "API_KEY")).ShouldBeTrue();
        second.ShouldBe(0);
        secondOutput.ShouldNotContain("API_KEY=");
        Value(secondOutput, "DEMO_ORG_ID").ShouldBe(Value(firstOutput, "DEMO_ORG_ID"));
        third.ShouldBe(0);
        Value(thirdOutput, "API_KEY").ShouldNotBe(Value(firstOutput, "API_KEY"));
    }

    [Fact]
    public async Task Seed_demo_without_a_feed_url_fails_naming_the_settings()
    {
        var database = await servers.CreateDatabaseAsync();
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var (code, _) = await RunAsync(["seed-demo", $"--ConnectionStrings:platformdb={database.ConnectionString}"]);
            code.ShouldBe(2);
        }
        finally
        {
            Console.SetError(original);
        }
        error.ToString().ShouldContain("Demo:FeedUrl");
    }

    [Fact]
    public async Task Keys_issue_platform_admin_prints_an_operator_key_that_opens_the_operator_routes_and_is_audited()
    {
        await using var api = await Api.Support.TwoTenantApi.StartAsync(servers);
        var connection = $"--ConnectionStrings:platformdb={api.Factory.DatabaseConnectionString}";

        var (code, output) = await RunAsync(["keys", "issue-platform-admin", "--name", "ops", "--expires-days", "30", connection]);
        var (missingName, _) = await RunAsync(["keys", "issue-platform-admin", connection]);

        code.ShouldBe(0);
        missingName.ShouldBe(2);
        var key = Value(output, "API_KEY");
        ApiKeyToken.IsWellFormed(key).ShouldBeTrue();
        using var limits = await api.ClientWith(key).GetAsync($"/api/v1/admin/orgs/{api.A.OrgId}/limits", TestContext.Current.CancellationToken);
        limits.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        // The operator key belongs to no organization, so organization routes refuse it.
        (await api.ClientWith(key).GetAsync("/api/v1/feeds", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        await using var db = await api.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var audit = await db.QuerySingleAsync<(string Actor, string After)>(
            "SELECT actor, after::text FROM audit_log WHERE org_id IS NULL AND action = 'api_key.created' AND target_id = @id", new { id = Value(output, "KEY_ID") });
        audit.Actor.ShouldBe("system:cli");
        audit.After.ShouldContain("platform:admin");
        audit.After.ShouldNotContain(key);
        (await db.QuerySingleAsync<DateTimeOffset?>("SELECT expires_at FROM api_keys WHERE id = @id::uuid", new { id = Value(output, "KEY_ID") }))
            .ShouldNotBeNull().ShouldBeInRange(DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var code = await ApiCommands.RunAsync(ApiCommands.Find(args)!, args, output);
        return (code, output.ToString());
    }

    private static string Value(string output, string key) =>
        output.Split('\n').Single(line => line.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
}
