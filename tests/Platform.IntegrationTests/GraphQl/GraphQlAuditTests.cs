using System.Text.Json;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.ApiReference;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// npm's graphql-http audit suite (tests/clients/graphql-audit) against the api as a real process over HTTP: every MUST
/// of GraphQL over HTTP passes. The SHOULDs that fail are listed, with the reason, in docs/api/graphql.md; this test pins
/// that list so a change in either direction is noticed.
/// </summary>
public sealed class GraphQlAuditTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_graphql_http_audit_passes_every_must()
    {
        var database = await servers.CreateDatabaseAsync();
        DapperConventions.Apply();
        await using var dataSource = database.CreateDataSource();
        var tenant = await TestTenant.CreateAsync(dataSource, new ApiKeyStore(dataSource, TimeProvider.System), "org-audit");

        // The audit's variables checks query __type(name: $name), which is introspection (off outside Development).
        await using var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-graphql-audit",
            new Dictionary<string, string> { ["GraphQl__EnableIntrospection"] = "true" });

        var audit = new NpmProject(Path.Combine(RepositoryRoot.Path, "tests", "clients", "graphql-audit"));
        await audit.EnsureInstalledAsync(Ct);
        // The script exits non-zero when a MUST fails; RunScriptAsync then throws with the whole report.
        var output = await audit.RunScriptAsync("audit",
            new Dictionary<string, string> { ["PLATFORM_GRAPHQL_URL"] = api.Url.TrimEnd('/') + "/graphql", ["PLATFORM_API_KEY"] = tenant.ReaderKey },
            TimeSpan.FromMinutes(2), Ct);

        // The full report, for reading when the test passes too (xunit shows output of failures only).
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "graphql-audit-report.txt"), output, Ct);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        line.ShouldNotBeNull($"The audit printed no RESULT line:\n{output}\n(api log: {api.LogPath})");
        var result = JsonSerializer.Deserialize<JsonElement>(line["RESULT ".Length..]);
        result.GetProperty("mustFailures").GetInt32().ShouldBe(0, output);
        var failedShoulds = output.Split('\n').Where(l => !l.StartsWith("OK", StringComparison.Ordinal) && l.Contains(" SHOULD ", StringComparison.Ordinal)).ToList();
        failedShoulds.ShouldBe(DocumentedShouldFailures, output);
    }

    /// <summary>The ids of the SHOULDs docs/api/graphql.md explains; empty while every SHOULD passes.</summary>
    private static readonly IReadOnlyList<string> DocumentedShouldFailures = [];
}
