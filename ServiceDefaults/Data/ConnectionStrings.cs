using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.Data;

/// <summary>Reads connection strings the way Aspire passes them (<c>ConnectionStrings__name</c>).</summary>
public static class ConnectionStrings
{
    /// <summary>The named connection string, or a start-up failure that names the missing setting.</summary>
    public static string Require(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Configuration setting 'ConnectionStrings:{name}' is missing. " +
                $"Set it in appsettings or as the environment variable ConnectionStrings__{name}.");
}
