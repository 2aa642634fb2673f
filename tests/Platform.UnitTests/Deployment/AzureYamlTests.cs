using Platform.Testing;
using YamlDotNet.RepresentationModel;

namespace Platform.UnitTests.Deployment;

/// <summary>azure.yaml: one service per deployable, built remotely into a container app; its hooks exist.</summary>
public sealed class AzureYamlTests
{
    [Theory]
    [InlineData("api", "src/Platform.Api")]
    [InlineData("worker", "src/Platform.Worker")]
    public void Each_deployable_is_a_dotnet_container_app_built_remotely_from_its_dockerfile(string service, string project)
    {
        var yaml = AzureYaml.Load();
        var node = yaml.Service(service);
        AzureYaml.Scalar(node, "project").TrimStart('.', '/').ShouldBe(project);
        AzureYaml.Scalar(node, "language").ShouldBe("dotnet");
        AzureYaml.Scalar(node, "host").ShouldBe("containerapp");
        AzureYaml.Scalar(node, "docker", "remoteBuild").ShouldBe("true");

        var projectDirectory = Path.Combine(RepositoryRoot.Path, project);
        File.Exists(Path.Combine(projectDirectory, Path.GetFileName(project) + ".csproj")).ShouldBeTrue();
        var dockerfile = Path.GetFullPath(Path.Combine(projectDirectory, AzureYaml.Scalar(node, "docker", "path")));
        File.ReadAllText(dockerfile).ShouldContain($"dotnet publish {project}/{Path.GetFileName(project)}.csproj");
        // The Dockerfile copies from the repository root (Directory.*.props, ServiceDefaults, the other projects).
        Path.GetFullPath(Path.Combine(projectDirectory, AzureYaml.Scalar(node, "docker", "context")))
            .TrimEnd('/').ShouldBe(RepositoryRoot.Path.TrimEnd('/'));
    }

    [Fact]
    public void There_is_one_service_per_deployable_and_the_infrastructure_is_the_bicep_in_infra()
    {
        var yaml = AzureYaml.Load();
        yaml.ServiceNames.ShouldBe(["api", "worker"]);
        AzureYaml.Scalar(yaml.Root, "infra", "provider").ShouldBe("bicep");
        File.Exists(Path.Combine(RepositoryRoot.Path, AzureYaml.Scalar(yaml.Root, "infra", "path"), AzureYaml.Scalar(yaml.Root, "infra", "module") + ".bicep")).ShouldBeTrue();
    }

    [Fact]
    public void Every_hook_script_exists_and_is_executable()
    {
        var yaml = AzureYaml.Load();
        var hooks = new List<YamlMappingNode> { (YamlMappingNode)yaml.Root["hooks"] };
        hooks.AddRange(yaml.ServiceNames.Select(yaml.Service).Where(s => s.Children.ContainsKey("hooks")).Select(s => (YamlMappingNode)s["hooks"]));
        var scripts = hooks.SelectMany(h => h.Children.Values).Select(hook => AzureYaml.Scalar(hook, "posix", "run")).ToList();
        scripts.ShouldContain("./infra/hooks/preprovision.sh");
        scripts.ShouldContain("./infra/hooks/postdeploy-worker.sh");
        foreach (var script in scripts)
        {
            var path = Path.Combine(RepositoryRoot.Path, script);
            File.Exists(path).ShouldBeTrue(script);
            if (!OperatingSystem.IsWindows())
            {
                // azd runs posix hooks directly: without the bit they fail with "permission denied".
                File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue($"{script} is not executable");
            }
        }
    }
}
