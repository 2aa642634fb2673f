using System.Text.Json.Nodes;
using Platform.Testing;

namespace Platform.UnitTests.Deployment;

/// <summary>
/// The compiled infrastructure: <c>artifacts/infra/main.json</c>, which <c>scripts/bicep.sh</c> (run by
/// <c>./test.sh</c> before the tests) builds from <c>infra/main.bicep</c>. Modules are nested deployments.
/// </summary>
public sealed class ArmTemplate
{
    public const string RelativePath = "artifacts/infra/main.json";

    private static readonly Lazy<ArmTemplate> Compiled = new(Load);

    private ArmTemplate(JsonObject root) => Root = root;

    public static ArmTemplate Main => Compiled.Value;

    public JsonObject Root { get; }

    public JsonObject Resources => Root["resources"]!.AsObject();

    /// <summary>A module of main.bicep by its symbolic name: its evaluated parameters and its own template.</summary>
    public ModuleInstance Module(string symbolicName)
    {
        var deployment = Resources[symbolicName]?.AsObject()
            ?? throw new InvalidOperationException($"main.bicep has no module '{symbolicName}'.");
        deployment["type"]!.GetValue<string>().ShouldBe("Microsoft.Resources/deployments");
        var properties = deployment["properties"]!.AsObject();
        var parameters = new JsonObject();
        foreach (var (name, value) in properties["parameters"]!.AsObject())
        {
            // Either { "value": … } or an expression that picks one, e.g. if(empty(x), createObject('value', …), …).
            var evaluated = ArmExpression.Evaluate(value);
            parameters[name] = evaluated is JsonObject o && o.ContainsKey("value") ? o["value"]?.DeepClone() : evaluated;
        }
        return new ModuleInstance(symbolicName, parameters, properties["template"]!.AsObject());
    }

    /// <summary>The modules whose template declares a resource of this type (e.g. every container app).</summary>
    public IReadOnlyList<ModuleInstance> ModulesDeclaring(string resourceType) =>
        [.. Resources.Where(r => r.Value!["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            .Select(r => Module(r.Key))
            .Where(m => m.ResourcesOfType(resourceType).Any())];

    /// <summary>Resources of a type declared anywhere: in main and in every module.</summary>
    public IEnumerable<JsonObject> AllResourcesOfType(string resourceType) =>
        ResourcesIn(Root).Where(r => r["type"]!.GetValue<string>() == resourceType);

    public JsonObject Parameter(string name) =>
        Root["parameters"]![name]?.AsObject() ?? throw new InvalidOperationException($"main.bicep has no parameter '{name}'.");

    internal static IEnumerable<JsonObject> ResourcesIn(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonObject named => named.Select(r => r.Value!.AsObject()),
            JsonArray list => list.Select(r => r!.AsObject()),
            _ => [],
        };
        // `existing` resources are references (reads), not declarations.
        foreach (var resource in resources.Where(r => r["existing"]?.GetValue<bool>() != true))
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesIn(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static ArmTemplate Load()
    {
        var path = Path.Combine(RepositoryRoot.Path, RelativePath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{RelativePath} does not exist. Compile the Bicep first: scripts/bicep.sh (./test.sh does it before the tests).");
        }
        return new ArmTemplate(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
    }
}

/// <summary>One module of main.bicep: the values main passes (expressions evaluated where they are literal) and its template.</summary>
public sealed record ModuleInstance(string Name, JsonObject Parameters, JsonObject Template)
{
    public IEnumerable<JsonObject> ResourcesOfType(string resourceType) =>
        ArmTemplate.ResourcesIn(Template).Where(r => r["type"]!.GetValue<string>() == resourceType);

    public JsonObject Resource(string resourceType) => ResourcesOfType(resourceType).ShouldHaveSingleItem();

    /// <summary>A parameter main passes; when main leaves it out, the module's default.</summary>
    public JsonNode? Parameter(string name) =>
        Parameters.TryGetPropertyValue(name, out var value)
            ? value
            : Template["parameters"]?[name]?["defaultValue"]
              ?? throw new InvalidOperationException($"Module '{Name}' gets no parameter '{name}' and has no default.");

    public JsonNode Variable(string name) =>
        Template["variables"]?[name] ?? throw new InvalidOperationException($"Module '{Name}' has no variable '{name}'.");
}
