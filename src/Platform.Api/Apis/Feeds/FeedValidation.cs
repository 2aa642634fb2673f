using System.Text.Json;
using Cronos;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds;
using Platform.Infrastructure.Feeds.Management;

namespace Platform.Api.Apis.Feeds;

/// <summary>
/// Checks a feed request against the rules of the store and of the adapter it names: the adapter factory parses the
/// config exactly as the worker will, so a feed the API accepts is a feed a run can start. Every problem is reported at once.
/// </summary>
public sealed class FeedValidation(IFeedAdapterFactory adapters)
{
    public const int MaxNameLength = 200;
    public const int MaxConfigBytes = 16 * 1024;
    public const int MaxCronLength = 100;
    public const int MaxCredentialsLength = 4096;
    public const decimal MinUpstreamRps = 0.1m;
    public const decimal MaxUpstreamRps = 50m;
    public const int DefaultPageSize = 30;
    public const decimal DefaultUpstreamRps = 2m;

    // Config is stored and returned in clear; a secret put there by mistake would be both. Credentials have their own field.
    private static readonly string[] SecretLikeKeys = ["password", "secret", "token", "apikey", "api_key", "credential"];

    /// <summary>The new state of the feed (null when there are errors) and the errors by field.</summary>
    public (FeedChanges? Changes, Dictionary<string, string[]> Errors) Validate(Guid id, FeedsApi.FeedRequest request, FeedRecord? current)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var name = request.Name?.Trim() ?? current?.Name;
        if (string.IsNullOrEmpty(name))
        {
            Fail("name", "Required.");
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            Fail("name", $"Must be 1–{MaxNameLength} characters without control characters.");
        }

        var adapter = current?.Adapter ?? request.Adapter;
        if (current is not null && request.Adapter is not null && request.Adapter != current.Adapter)
        {
            Fail("adapter", "Cannot change; create another feed for another adapter.");
        }
        else if (string.IsNullOrEmpty(adapter))
        {
            Fail("adapter", $"Required: one of {string.Join(", ", FeedAdapterFactory.KnownKinds)}.");
        }
        else if (!FeedAdapterFactory.KnownKinds.Contains(adapter))
        {
            Fail("adapter", $"Unknown adapter; one of {string.Join(", ", FeedAdapterFactory.KnownKinds)}.");
        }

        var configJson = ConfigJson(request.Config, current, Fail);

        string? cron = current?.ScheduleCron;
        if (request.ScheduleCron is { } requestedCron)
        {
            cron = requestedCron.Trim().Length == 0 ? null : requestedCron.Trim();
            if (cron is not null && (cron.Length > MaxCronLength || !CronExpression.TryParse(cron, out _)))
            {
                Fail("scheduleCron", "Must be a 5-field cron expression (minute hour day month weekday, UTC), e.g. '0 */6 * * *'; empty to remove.");
            }
        }

        var upstreamRps = request.UpstreamRps ?? current?.UpstreamRps ?? DefaultUpstreamRps;
        if (upstreamRps is < MinUpstreamRps or > MaxUpstreamRps)
        {
            Fail("upstreamRps", $"Must be between {MinUpstreamRps} and {MaxUpstreamRps}.");
        }

        if (request.Credentials is { Length: > MaxCredentialsLength })
        {
            Fail("credentials", $"At most {MaxCredentialsLength} characters.");
        }

        var pageSize = request.PageSize ?? current?.PageSize ?? DefaultPageSize;
        if (!errors.ContainsKey("adapter") && configJson is not null)
        {
            try
            {
                var parsed = adapters.Create(new FeedDefinition(id, Guid.Empty, adapter!, configJson, null, pageSize, int.MaxValue, Math.Max(upstreamRps, MinUpstreamRps)));
                if (pageSize < 1 || pageSize > parsed.MaxPageSize)
                {
                    Fail("pageSize", $"Must be between 1 and {parsed.MaxPageSize} for the {adapter} adapter.");
                }
            }
            catch (FeedConfigurationException invalid)
            {
                // The message names the field and never holds a secret (config has none, see above).
                Fail("config", invalid.Message[(invalid.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new FeedChanges(name!, adapter!, configJson!, cron, request.Enabled ?? current?.Enabled ?? true, pageSize, upstreamRps,
                current is null && request.Credentials == "" ? null : request.Credentials), errors);
    }

    // jsonb refuses \u0000 and lone surrogates; checked here so such input is a 400, not a database error.
    private static bool IsStorable(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(p => IsStorable(p.Name) && IsStorable(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
        JsonValueKind.String => IsStorableString(element),
        _ => true,
    };

    private static bool IsStorableString(JsonElement element)
    {
        try
        {
            return IsStorable(element.GetString()!);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to unescape a lone surrogate: that is the answer, not a failure.
            return false;
        }
    }

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0' || char.IsLowSurrogate(text[i]) || char.IsHighSurrogate(text[i]) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i])))
            {
                return false;
            }
        }
        return true;
    }

    private static string? ConfigJson(JsonElement? config, FeedRecord? current, Action<string, string> fail)
    {
        if (config is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (current is null)
            {
                fail("config", "Required: a JSON object with the adapter's settings.");
                return null;
            }
            return current.Config.GetRawText();
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            fail("config", "Must be a JSON object.");
            return null;
        }
        var text = element.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxConfigBytes)
        {
            fail("config", $"At most {MaxConfigBytes} bytes of JSON.");
            return null;
        }
        if (!IsStorable(element))
        {
            fail("config", "Must not contain NUL characters or unpaired UTF-16 surrogates (Postgres jsonb cannot store them).");
            return null;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (SecretLikeKeys.Any(k => property.Name.Contains(k, StringComparison.OrdinalIgnoreCase)))
            {
                fail("config", $"'{property.Name}' looks like a secret; send secrets in 'credentials', which is encrypted and never returned.");
                return null;
            }
        }
        return text;
    }
}
