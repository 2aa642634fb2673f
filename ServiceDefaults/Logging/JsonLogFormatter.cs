using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Logging;

public sealed class JsonLogFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The <c>service</c> field: the application name unless configured.</summary>
    public string? Service { get; set; }
}

/// <summary>
/// One JSON object per line: <c>timestamp</c> (UTC), <c>level</c>, <c>service</c>, <c>category</c>, <c>eventId</c>,
/// <c>message</c>, <c>traceId</c>/<c>spanId</c> of the current activity, the message's structured <c>properties</c>,
/// the <c>scopes</c> (organization, run, partition, key id as the code opens them) and a structured <c>exception</c>.
/// Every string passes <see cref="SecretRedactor"/>. Runs on the logging caller's thread, so the activity is the caller's.
/// </summary>
public sealed class JsonLogFormatter(IOptionsMonitor<JsonLogFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "platform-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        var settings = options.CurrentValue;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("service", settings.Service ?? AppDomain.CurrentDomain.FriendlyName);
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }
            json.WriteString("message", SecretRedactor.Redact(message ?? ""));
            if (Activity.Current is { } activity)
            {
                json.WriteString("traceId", activity.TraceId.ToHexString());
                json.WriteString("spanId", activity.SpanId.ToHexString());
            }
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> properties && properties.Count > 1)
            {
                json.WriteStartObject("properties");
                WriteProperties(json, properties);
                json.WriteEndObject();
            }
            if (settings.IncludeScopes && scopeProvider is not null)
            {
                WriteScopes(json, scopeProvider);
            }
            if (logEntry.Exception is { } exception)
            {
                WriteException(json, exception);
            }
            json.WriteEndObject();
        }
        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteProperties(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        foreach (var (key, value) in properties)
        {
            if (key == "{OriginalFormat}")
            {
                continue;
            }
            switch (value)
            {
                case null: json.WriteNull(key); break;
                case bool flag: json.WriteBoolean(key, flag); break;
                case int or long or short or byte or double or float or decimal:
                    json.WritePropertyName(key);
                    json.WriteRawValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);
                    break;
                default: json.WriteString(key, SecretRedactor.Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")); break;
            }
        }
    }

    private static void WriteScopes(Utf8JsonWriter json, IExternalScopeProvider scopeProvider)
    {
        var written = false;
        scopeProvider.ForEachScope((scope, writer) =>
        {
            if (!written)
            {
                writer.WriteStartObject("scopes");
                written = true;
            }
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                WriteProperties(writer, pairs);
            }
            else if (scope is not null)
            {
                writer.WriteString("scope", SecretRedactor.Redact(scope.ToString() ?? ""));
            }
        }, json);
        if (written)
        {
            json.WriteEndObject();
        }
    }

    private static void WriteException(Utf8JsonWriter json, Exception exception)
    {
        json.WriteStartObject("exception");
        json.WriteString("type", exception.GetType().FullName);
        json.WriteString("message", SecretRedactor.Redact(exception.Message));
        json.WriteString("stackTrace", exception.StackTrace);
        if (exception.InnerException is { } inner)
        {
            json.WriteString("inner", $"{inner.GetType().FullName}: {SecretRedactor.Redact(inner.Message)}");
        }
        json.WriteEndObject();
    }
}
