using Platform.Testing;
using YamlDotNet.RepresentationModel;

namespace Platform.UnitTests.Deployment;

/// <summary>The repository's <c>azure.yaml</c> (the azd project file), read as a YAML tree.</summary>
public sealed class AzureYaml
{
    private AzureYaml(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public YamlMappingNode Services => (YamlMappingNode)Root["services"];

    public IReadOnlyList<string> ServiceNames => [.. Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    public static AzureYaml Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "azure.yaml"));
        stream.Load(reader);
        return new AzureYaml((YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return ((YamlScalarNode)node).Value!;
    }
}
