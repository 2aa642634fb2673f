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
