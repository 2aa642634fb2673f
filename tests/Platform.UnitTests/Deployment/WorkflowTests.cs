using Platform.Testing;
using YamlDotNet.RepresentationModel;

namespace Platform.UnitTests.Deployment;

/// <summary>The GitHub Actions workflows parse and do what docs/deployment.md says they do.</summary>
public sealed class WorkflowTests
{
    [Fact]
    public void Ci_builds_runs_test_sh_and_compiles_and_lints_the_bicep()
    {
        var steps = Runs(Load("ci.yml"));
        steps.ShouldContain(run => run.Contains("./test.sh"));
        steps.ShouldContain(run => run.Contains("scripts/bicep.sh"));
    }

    [Fact]
    public void Deploy_runs_azd_on_pushes_to_main_with_oidc_after_ci()
    {
        var workflow = Load("deploy.yml");
        var push = (YamlMappingNode)((YamlMappingNode)workflow["on"])["push"];
        ((YamlSequenceNode)push["branches"]).Children.Select(b => b.ToString()).ShouldContain("main");
        AzureYaml.Scalar(workflow, "permissions", "id-token").ShouldBe("write");

        var deploy = (YamlMappingNode)((YamlMappingNode)workflow["jobs"])["deploy"];
        deploy["needs"].ToString().ShouldBe("ci");
        AzureYaml.Scalar((YamlMappingNode)workflow["jobs"], "ci", "uses").ShouldBe("./.github/workflows/ci.yml");

        var steps = ((YamlSequenceNode)deploy["steps"]).Children.Cast<YamlMappingNode>().ToList();
        var login = steps.Single(s => s.Children.ContainsKey("uses") && s["uses"].ToString().StartsWith("azure/login@", StringComparison.Ordinal));
        ((YamlMappingNode)login["with"]).Children.Keys.Select(k => k.ToString()).ShouldBe(["client-id", "tenant-id", "subscription-id"], ignoreOrder: true);

        var runs = Runs(workflow);
        runs.ShouldContain(run => run.Contains("azd auth login") && run.Contains("--federated-credential-provider github"));
        runs.ShouldContain(run => run.Contains("azd up --no-prompt"));
    }

    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, ".github", "workflows", name));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static List<string> Runs(YamlMappingNode workflow) =>
        [.. ((YamlMappingNode)workflow["jobs"]).Children.Values.Cast<YamlMappingNode>()
            .Where(job => job.Children.ContainsKey("steps"))
            .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>())
            .Where(step => step.Children.ContainsKey("run"))
            .Select(step => step["run"].ToString())];
}
