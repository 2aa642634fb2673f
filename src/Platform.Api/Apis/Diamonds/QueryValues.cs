namespace Platform.Api.Apis.Diamonds;

internal static class QueryValues
{
    /// <summary>The raw query string for the domain's parsers, which validate every value themselves.</summary>
    public static IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> Of(HttpRequest request) =>
        request.Query.Select(pair => new KeyValuePair<string, IReadOnlyList<string?>>(pair.Key, pair.Value.ToArray()));
}
