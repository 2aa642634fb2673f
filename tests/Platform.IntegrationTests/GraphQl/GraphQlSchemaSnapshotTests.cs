using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// docs/api/schema.graphql is the GraphQL schema clients read; it must equal the schema the api serves. After an intended
/// change, regenerate it with <c>PLATFORM_UPDATE_GRAPHQL_SCHEMA=1</c> and review the diff.
/// </summary>
public sealed class GraphQlSchemaSnapshotTests(PlatformServers servers)
{
    private const string UpdateVariable = "PLATFORM_UPDATE_GRAPHQL_SCHEMA";

    [Fact]
    public async Task The_checked_in_schema_matches_the_served_schema()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var schema = api.Factory.Services.GetRequiredService<ISchema>();
        var printed = schema.Print().ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(RepositoryRoot.Path, "docs", "api", "schema.graphql");

        if (Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true")
        {
            await File.WriteAllTextAsync(path, printed, TestContext.Current.CancellationToken);
        }

        File.Exists(path).ShouldBeTrue($"{path} is missing; run this test with {UpdateVariable}=1 to write it.");
        var checkedIn = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        checkedIn.ShouldBe(printed, $"The served schema differs from {path}; if intended, run this test with {UpdateVariable}=1 and commit the file.");
    }
}
