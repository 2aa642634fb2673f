using System.Data.Common;

namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// <c>ConnectionStrings:servicebus</c> in one of two forms: the namespace endpoint alone
/// (<c>https://ns.servicebus.windows.net:443/</c>, what infra/ sets: managed identity through <c>DefaultAzureCredential</c>),
/// or a SAS connection string (<c>Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…</c>).
/// <c>sb://</c> means HTTPS; <c>http://</c> is accepted for the local REST fake only.
/// </summary>
public sealed record ServiceBusConnection(Uri Endpoint, string? KeyName, string? Key)
{
    public bool UsesSharedAccessKey => Key is not null;

    public static ServiceBusConnection Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ServiceBusOptions.ConnectionName} is required with Messaging:Transport=servicebus (an https:// namespace endpoint or a SAS connection string).");
        }
        if (!value.Contains('='))
        {
            return new ServiceBusConnection(Normalize(value), null, null);
        }
        var builder = new DbConnectionStringBuilder { ConnectionString = value };
        string? Get(string key) => builder.TryGetValue(key, out var v) ? v?.ToString() : null;
        var endpoint = Get("Endpoint") ?? throw new InvalidOperationException($"ConnectionStrings:{ServiceBusOptions.ConnectionName} has no Endpoint.");
        var (keyName, key) = (Get("SharedAccessKeyName"), Get("SharedAccessKey"));
        if (keyName is null != key is null)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ServiceBusOptions.ConnectionName} needs both SharedAccessKeyName and SharedAccessKey, or neither.");
        }
        return new ServiceBusConnection(Normalize(endpoint), keyName, key);
    }

    private static Uri Normalize(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("sb" or "https" or "http"))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ServiceBusOptions.ConnectionName} endpoint '{endpoint}' is not an sb://, https:// or http:// URI.");
        }
        var builder = new UriBuilder(uri) { Path = "/" };
        if (uri.Scheme == "sb")
        {
            builder.Scheme = "https";
            builder.Port = 443;
        }
        return builder.Uri;
    }
}
