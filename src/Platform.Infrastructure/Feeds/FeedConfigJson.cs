using System.Text.Json;
using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Feeds;

/// <summary>Reads a feed's <c>config</c> JSON, failing with a <see cref="FeedConfigurationException"/> that names the field.</summary>
internal sealed class FeedConfigJson : IDisposable
{
    private readonly JsonDocument document;
    private readonly FeedDefinition feed;

    private FeedConfigJson(JsonDocument document, FeedDefinition feed)
    {
        this.document = document;
        this.feed = feed;
    }

    public static FeedConfigJson Parse(FeedDefinition feed)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(feed.ConfigJson) ? "{}" : feed.ConfigJson);
        }
        catch (JsonException invalid)
        {
            throw new FeedConfigurationException(feed.Id, $"config of the {feed.Adapter} feed is not valid JSON ({invalid.Message}).", invalid);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FeedConfigurationException(feed.Id, $"config of the {feed.Adapter} feed must be a JSON object.");
        }
        return new FeedConfigJson(document, feed);
    }

    /// <summary>An absolute http(s) URL; as a base URL it gets a trailing slash so relative paths resolve beneath it.</summary>
    public Uri RequiredHttpUrl(string field, string example, bool asBase)
    {
        var text = OptionalString(field);
        if (text is null
            || !Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid(field, $"must be an absolute http(s) URL such as {example}");
        }
        return !asBase || url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    public string RequiredString(string field) =>
        OptionalString(field) ?? throw Invalid(field, "is required and must be a non-empty string");

    public string? OptionalString(string field)
    {
        if (!document.RootElement.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(field, "must be a string or null");
        }
        return string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString();
    }

    /// <summary>One of <paramref name="allowed"/>, or the first of them when the field is absent.</summary>
    public string OneOf(string field, params string[] allowed)
    {
        var value = OptionalString(field) ?? allowed[0];
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Invalid(field, $"must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}");
    }

    private FeedConfigurationException Invalid(string field, string problem) =>
        new(feed.Id, $"config field '{field}' of the {feed.Adapter} feed {problem}.");

    public void Dispose() => document.Dispose();
}
