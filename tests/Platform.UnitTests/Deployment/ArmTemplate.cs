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

    /// <summary>
    /// A module by its symbolic name, in main.bicep or nested in one of its modules (e.g. <c>api</c> in <c>apps</c>):
    /// its evaluated parameters, as main's values where a nested module just passes its parent's parameter on, and its own template.
    /// </summary>
    public ModuleInstance Module(string symbolicName)
    {
        var matches = Modules().Where(m => m.Name == symbolicName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InvalidOperationException($"main.bicep has no module '{symbolicName}', nor has any of its modules."),
            _ => throw new InvalidOperationException($"Module name '{symbolicName}' is ambiguous."),
        };
    }

    /// <summary>Every module at any depth, parents before their children.</summary>
    public IEnumerable<ModuleInstance> Modules() => ModulesIn(Root, null);

    /// <summary>The modules whose own template (not a nested module) declares a resource of this type (e.g. every container app).</summary>
    public IReadOnlyList<ModuleInstance> ModulesDeclaring(string resourceType) =>
        [.. Modules().Where(m => DirectResources(m.Template).Any(r => r["type"]!.GetValue<string>() == resourceType))];

    private static IEnumerable<ModuleInstance> ModulesIn(JsonObject template, JsonObject? parentParameters)
    {
        foreach (var (name, resource) in NamedResources(template))
        {
            if (resource["type"]!.GetValue<string>() != "Microsoft.Resources/deployments")
            {
                continue;
            }
            var properties = resource["properties"]!.AsObject();
            var parameters = new JsonObject();
            foreach (var (parameter, value) in properties["parameters"]!.AsObject())
            {
                // Either { "value": … } or an expression that picks one, e.g. if(empty(x), createObject('value', …), …).
                var evaluated = ArmExpression.Evaluate(value, parentParameters);
                parameters[parameter] = evaluated is JsonObject o && o.ContainsKey("value") ? o["value"]?.DeepClone() : evaluated;
            }
            var module = new ModuleInstance(name, parameters, properties["template"]!.AsObject());
            yield return module;
            foreach (var nested in ModulesIn(module.Template, parameters))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<(string Name, JsonObject Resource)> NamedResources(JsonObject template) =>
        template["resources"] is JsonObject named ? named.Select(r => (r.Key, r.Value!.AsObject())) : [];

    private static IEnumerable<JsonObject> DirectResources(JsonObject template) =>
        (template["resources"] switch
        {
            JsonObject named => named.Select(r => r.Value!.AsObject()),
            JsonArray list => list.Select(r => r!.AsObject()),
            _ => [],
        }).Where(r => r["existing"]?.GetValue<bool>() != true);

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
