namespace Platform.Infrastructure.Messaging;

/// <summary>
/// A broker call failed after the transport's own retries (network, 429, 5xx). Consumers treat it like a database
/// outage: nothing was settled, the lease runs out and the message comes back.
/// </summary>
public sealed class MessagingTransportException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The failures a consumer waits out instead of crashing: the database or the broker is away.</summary>
    public static bool IsTransient(Exception e) => e is NpgsqlException or TimeoutException or MessagingTransportException;
}
