using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Messaging;

/// <summary>Spans and metrics of the transport: publish and process spans linked through <c>traceparent</c>.</summary>
public static class MessagingTelemetry
{
    public const string Name = "Platform.Messaging";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "platform.messaging.published", "{message}", "Messages accepted by the queue (duplicates excluded).");

    public static readonly Counter<long> Settled = Meter.CreateCounter<long>(
        "platform.messaging.settled", "{message}", "Messages settled by consumers, by outcome (completed, retried, dead_lettered, released).");

    public static readonly Histogram<double> PickupDelay = Meter.CreateHistogram<double>(
        "platform.messaging.pickup.delay", "s", "Time from a message becoming visible to its claim.");

    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>(
        "platform.messaging.handler.duration", "s", "Time a handler took, by queue and outcome.");

    public static KeyValuePair<string, object?> Queue(string queue) => new("queue", queue);

    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
