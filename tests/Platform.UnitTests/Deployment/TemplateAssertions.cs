using System.Text.Json.Nodes;

namespace Platform.UnitTests.Deployment;

internal static class TemplateAssertions
{
    /// <summary>The value is the opaque ARM expression <paramref name="source"/> (see <see cref="ArmExpression"/>).</summary>
    public static void ShouldBeOpaque(this JsonNode? node, string source)
    {
        ArmExpression.IsOpaque(node, out var actual).ShouldBeTrue($"expected the expression {source}, got {node?.ToJsonString() ?? "null"}");
        actual.ShouldBe(source);
    }

    /// <summary>A value main passes as <c>parameters('x')</c> resolved to main's default for x; literals as they are.</summary>
    public static JsonNode? Resolve(this ArmTemplate template, JsonNode? node)
    {
        if (ArmExpression.IsOpaque(node, out var source) && source.StartsWith("parameters('", StringComparison.Ordinal) && source.EndsWith("')", StringComparison.Ordinal))
        {
            return template.Parameter(source["parameters('".Length..^2])["defaultValue"];
        }
        return node;
    }
}
