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

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var code = await ApiCommands.RunAsync(ApiCommands.Find(args)!, args, output);
        return (code, output.ToString());
    }

    private static string Value(string output, string key) =>
        output.Split('\n').Single(line => line.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
}
