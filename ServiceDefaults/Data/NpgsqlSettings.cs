using Npgsql;

namespace Platform.ServiceDefaults.Data;

/// <summary>
/// Settings of the Postgres client (section <c>Aspire:Npgsql</c>, as Aspire's integration reads it).
/// Pool values apply only where the connection string does not set them itself.
/// </summary>
public sealed class NpgsqlSettings
{
    public const string SectionName = "Aspire:Npgsql";

    public bool DisableHealthChecks { get; set; }
    public bool DisableTracing { get; set; }
    public bool DisableMetrics { get; set; }

    /// <summary>Connections per process; small by design (PLATFORM §3.13: many replicas share one server).</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>Seconds a command may run before it is cancelled.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds to wait for a pooled connection or a new one.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    public int HealthCheckTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// Statements Npgsql prepares automatically per connection once they repeat; the pipeline's hot statements are
    /// few and fixed, and preparing them halves their server time. 0 turns it off.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 20;

    /// <summary>
    /// Log in with Microsoft Entra access tokens instead of a password (Azure Database for PostgreSQL with a managed
    /// identity, ADR 0036). The connection string then names the identity as Username and carries no password.
    /// </summary>
    public bool UseEntraAuthentication { get; set; }

    /// <summary>Seconds between token fetches while they succeed; far below a token's lifetime (an hour or more).</summary>
    public int EntraTokenRefreshSeconds { get; set; } = 300;

    /// <summary>Seconds before fetching again after a failed fetch (the previous token stays in use meanwhile).</summary>
    public int EntraTokenRetrySeconds { get; set; } = 10;

    public void Validate()
    {
        Check(MaxPoolSize is >= 1 and <= 1000, nameof(MaxPoolSize), "between 1 and 1000");
        Check(CommandTimeoutSeconds is >= 1 and <= 3600, nameof(CommandTimeoutSeconds), "between 1 and 3600");
        Check(ConnectTimeoutSeconds is >= 1 and <= 300, nameof(ConnectTimeoutSeconds), "between 1 and 300");
        Check(HealthCheckTimeoutSeconds is >= 1 and <= 60, nameof(HealthCheckTimeoutSeconds), "between 1 and 60");
        Check(MaxAutoPrepare is >= 0 and <= 1000, nameof(MaxAutoPrepare), "between 0 and 1000");
        Check(EntraTokenRefreshSeconds is >= 30 and <= 3000, nameof(EntraTokenRefreshSeconds), "between 30 and 3000 (a token lives about an hour)");
        Check(EntraTokenRetrySeconds is >= 1 and <= 300, nameof(EntraTokenRetrySeconds), "between 1 and 300");
    }

    public string ApplyPoolDefaults(string connectionName, string connectionString)
    {
        NpgsqlConnectionStringBuilder csb;
        try
        {
            csb = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Configuration setting 'ConnectionStrings:{connectionName}' holds an invalid Postgres connection string: {e.Message}", e);
        }
        var given = connectionString.ToUpperInvariant();
        if (!given.Contains("MAXIMUM POOL SIZE", StringComparison.Ordinal) && !given.Contains("MAX POOL SIZE", StringComparison.Ordinal))
        {
            csb.MaxPoolSize = MaxPoolSize;
        }
        if (!given.Contains("COMMAND TIMEOUT", StringComparison.Ordinal))
        {
            csb.CommandTimeout = CommandTimeoutSeconds;
        }
        if (!given.Contains("TIMEOUT=", StringComparison.Ordinal) && !given.Contains("TIMEOUT =", StringComparison.Ordinal))
        {
            csb.Timeout = ConnectTimeoutSeconds;
        }
        if (!given.Contains("MAX AUTO PREPARE", StringComparison.Ordinal))
        {
            csb.MaxAutoPrepare = MaxAutoPrepare;
        }
        return csb.ConnectionString;
    }

    private static void Check(bool valid, string name, string expected)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"Configuration setting '{SectionName}:{name}' must be {expected}.");
        }
    }
}
