using Azure.Core;
using Azure.Identity;
using Npgsql;

namespace Platform.ServiceDefaults.Data;

/// <summary>
/// Microsoft Entra authentication to Azure Database for PostgreSQL (ADR 0036): the password of every new physical
/// connection is an access token for the managed identity, which the server checks at login. Npgsql fetches it in
/// the background (<see cref="NpgsqlDataSourceBuilder.UsePeriodicPasswordProvider"/>) so that opening a connection
/// never waits on Entra, and refreshes it well before it expires (tokens live an hour or more; the server checks
/// them only when a connection logs in, so open pooled connections outlive their token).
/// </summary>
public static class NpgsqlEntraAuthentication
{
    /// <summary>The token audience of Azure Database for PostgreSQL (and MySQL) in the public cloud.</summary>
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>
    /// The credential for the tokens: one registered in the container (tests register their own), otherwise
    /// <see cref="DefaultAzureCredential"/>, which picks the user-assigned managed identity named by <c>AZURE_CLIENT_ID</c>
    /// in Azure and the developer's <c>az login</c> / <c>azd auth login</c> elsewhere.
    /// </summary>
    public static TokenCredential Credential(IServiceProvider services) =>
        services.GetService(typeof(TokenCredential)) as TokenCredential ?? new DefaultAzureCredential();

    /// <summary>
    /// The connection string must name the role (the managed identity's name) and carry no password: a password next
    /// to a token provider would be ambiguous, and its presence means the deployment is not what it claims to be.
    /// </summary>
    public static void Validate(string connectionName, NpgsqlConnectionStringBuilder connectionString)
    {
        if (!string.IsNullOrEmpty(connectionString.Password) || !string.IsNullOrEmpty(connectionString.Passfile))
        {
            throw new InvalidOperationException(
                $"Configuration setting 'ConnectionStrings:{connectionName}' carries a password while '{NpgsqlSettings.SectionName}:{nameof(NpgsqlSettings.UseEntraAuthentication)}' " +
                "is true: with Entra authentication the password is an access token, so remove Password (and Passfile) from the connection string.");
        }
        if (string.IsNullOrEmpty(connectionString.Username))
        {
            throw new InvalidOperationException(
                $"Configuration setting 'ConnectionStrings:{connectionName}' names no Username: with Entra authentication it is the managed identity's name " +
                "(the role the Entra administrator created).");
        }
    }

    /// <summary>Makes every new physical connection log in with a current token from <paramref name="credential"/>.</summary>
    public static NpgsqlDataSourceBuilder UseEntraAuthentication(this NpgsqlDataSourceBuilder builder, TokenCredential credential, NpgsqlSettings settings)
    {
        var request = new TokenRequestContext([Scope]);
        return builder.UsePeriodicPasswordProvider(
            async (_, cancellationToken) => (await credential.GetTokenAsync(request, cancellationToken)).Token,
            TimeSpan.FromSeconds(settings.EntraTokenRefreshSeconds),
            TimeSpan.FromSeconds(settings.EntraTokenRetrySeconds));
    }
}
