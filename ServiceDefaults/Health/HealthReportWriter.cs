using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON: the overall status for everyone (probes, status pages), plus one entry per component
/// with its reasons and figures for operators (<see cref="HealthDetailOptions"/>).
/// </summary>
public static class HealthReportWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        // Built in memory, then written once: the report is small and the response stream allows async writes only.
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer, Options);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        var detail = context.RequestServices.GetService<IOptions<HealthDetailOptions>>()?.Value.ShowsDetailTo(context) ?? false;
        if (!detail)
        {
            // Anonymous callers learn whether the service is up, not which dependency is struggling or how busy it is.
            json.WriteEndObject();
            json.Flush();
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
            return;
        }
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("components");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            if (entry.Description is { Length: > 0 } description)
            {
                json.WriteString("description", description);
            }
            if (entry.Exception is { } exception && entry.Description is null)
            {
                // The exception type and message only: stack traces stay in the logs.
                json.WriteString("error", $"{exception.GetType().Name}: {exception.Message}");
            }
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    json.WritePropertyName(key);
                    JsonSerializer.Serialize(json, value);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
