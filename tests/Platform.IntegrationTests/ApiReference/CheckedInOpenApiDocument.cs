using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.IntegrationTests.ApiReference;

/// <summary>
/// <c>docs/api/openapi.json</c>, the copy of the api's OpenAPI document that reviewers diff and clients generate from.
/// Compared as normalized JSON (object members in name order), so formatting and member order never count as drift.
/// </summary>
internal static class CheckedInOpenApiDocument
{
    public const string UpdateVariable = "PLATFORM_UPDATE_OPENAPI";

    public const string HowToUpdate =
        $"Regenerate it with scripts/update-openapi.sh (or run this test with {UpdateVariable}=1), review the diff, and commit docs/api/openapi.json.";

    public static string FilePath => Path.Combine(RepositoryRoot.Path, "docs", "api", "openapi.json");

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Keep the en dashes and ≤ of descriptions readable in review; the file is JSON, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteAsync(JsonNode document, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(FilePath, document.ToJsonString(Indented) + "\n", cancellationToken);

    /// <summary>JSON pointers where the two documents differ (at most <paramref name="limit"/>), empty when they match.</summary>
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, int limit = 20)
    {
        var differences = new List<string>();
        Compare(expected, actual, "", differences, limit);
        return differences;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string pointer, List<string> differences, int limit)
    {
        if (differences.Count >= limit)
        {
            return;
        }
        switch (expected, actual)
        {
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{pointer}/{name.Replace("~", "~0").Replace("/", "~1")}";
                    if (!left.ContainsKey(name) || !right.ContainsKey(name))
                    {
                        differences.Add($"{child}: {(left.ContainsKey(name) ? "missing in the running api" : "not in the checked-in file")}");
                    }
                    else
                    {
                        Compare(left[name], right[name], child, differences, limit);
                    }
                }
                break;
            case (JsonArray left, JsonArray right) when left.Count == right.Count:
                for (var i = 0; i < left.Count; i++)
                {
                    Compare(left[i], right[i], $"{pointer}/{i}", differences, limit);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{(pointer.Length == 0 ? "/" : pointer)}: checked in {Short(expected)}, served {Short(actual)}");
                }
                break;
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
