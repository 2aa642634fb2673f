using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Telemetry;

/// <summary>
/// Meter <c>Platform.Errors</c>: one counter of failures from every role, by <c>category</c> and a bounded <c>code</c>
/// (an error-catalogue code in the api, a fixed word or queue name in the workers; never a message or an id), so an
/// error rate can be graphed and alerted on per category.
/// </summary>
public static class ErrorTelemetry
{
    public const string Name = "Platform.Errors";

    /// <summary>A supplier call or page fetch failed.</summary>
    public const string Upstream = "upstream";

    /// <summary>A message handler threw (the message is retried).</summary>
    public const string Handler = "handler";

    /// <summary>A message was dead-lettered.</summary>
    public const string DeadLetter = "dead_letter";

    /// <summary>A run failed.</summary>
    public const string Run = "run";

    /// <summary>The api answered with a problem: <c>code</c> is the catalogue code; 4xx are <c>client</c>, 5xx <c>server</c>.</summary>
    public const string Client = "client";

    public const string Server = "server";

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "platform.errors", "{error}", "Failures by category (upstream, handler, dead_letter, run, client, server) and bounded code.");

    public static void Record(string category, string code) =>
        Errors.Add(1, new KeyValuePair<string, object?>("category", category), new KeyValuePair<string, object?>("code", code));
}
