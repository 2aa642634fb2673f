using System.Text.Json;
using Platform.Api.Errors;
using Platform.Infrastructure.Security.Egress;

namespace Platform.Api.Security;

/// <summary>
/// The request side of the SSRF guard (ADR 0034): URLs a tenant asks the platform to call are refused with 400
/// <c>URL_NOT_ALLOWED</c> when stored, before any connection is attempted. The connect-time check stays the real guard.
/// </summary>
public static class EgressChecks
{
    /// <summary>Every http(s) URL in a feed's config (any field, nested ones too), so a new adapter's URL field is covered without listing it.</summary>
    public static async Task<ProblemHttpResult?> FeedConfigAsync(EgressGuard guard, JsonElement? config, CancellationToken cancellationToken)
    {
        if (config is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, url) in Urls(element, "config"))
        {
            if (await guard.CheckUrlAsync(url, cancellationToken) is { } problem)
            {
                errors[field] = [problem];
            }
        }
        return errors.Count == 0 ? null : Problem(errors);
    }

    /// <summary>A URL sent in one field (an alert channel's <c>url</c>); it is a secret, so it is never echoed.</summary>
    public static async Task<ProblemHttpResult?> UrlAsync(EgressGuard guard, string field, string url, CancellationToken cancellationToken) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && await guard.CheckUrlAsync(uri, cancellationToken) is { } problem
            ? Problem(new Dictionary<string, string[]> { [field] = [problem] })
            : null;

    /// <summary>A host the platform connects to without a URL (an SMTP server).</summary>
    public static async Task<ProblemHttpResult?> HostAsync(EgressGuard guard, string field, string host, CancellationToken cancellationToken) =>
        await guard.CheckHostAsync(host, cancellationToken) is { } problem
            ? Problem(new Dictionary<string, string[]> { [field] = [problem] })
            : null;

    // A lone surrogate makes GetString throw; such a config is refused by the field validation, not here.
    private static string? StringOf(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Problem(Dictionary<string, string[]> errors) =>
        ApiProblem.Result(ErrorCatalog.UrlNotAllowed, "A URL or host in the request points where the platform does not connect on a tenant's behalf.", fieldErrors: errors);

    private static IEnumerable<(string Field, Uri Url)> Urls(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var found in Urls(property.Value, $"{path}.{property.Name}"))
                    {
                        yield return found;
                    }
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var found in Urls(item, $"{path}[{index++}]"))
                    {
                        yield return found;
                    }
                }
                break;
            case JsonValueKind.String:
                // Only strings that name a network scheme: on Linux a bare "/path" parses as an absolute file URI.
                if (StringOf(element) is { } text && text.Contains("://", StringComparison.Ordinal)
                    && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && !url.IsFile)
                {
                    yield return (path, url);
                }
                break;
        }
    }
}
