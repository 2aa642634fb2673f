using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Data;

namespace Platform.IntegrationTests.Hosting;

/// <summary>
/// Entra token authentication to Postgres (ADR 0036), against a real server: a role whose password is a token string,
/// which pg_hba.conf makes log in with scram-sha-256 (the test cluster trusts every other role), and a data source
/// built by ServiceDefaults from a connection string with no password and a <see cref="TokenCredential"/>.
/// </summary>
public sealed class EntraAuthenticationTests(PlatformServers servers)
{
    [Fact]
    public async Task The_data_source_logs_in_with_the_credentials_token_for_the_postgres_scope()
    {
        var (role, token, connectionString) = await CreateTokenRoleAsync();
        var credential = new StaticTokenCredential(token);
        using var host = BuildHost(connectionString, credential);

        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();

        (await connection.ExecuteScalarAsync<string>("SELECT current_user")).ShouldBe(role);
        credential.Scopes.ShouldNotBeEmpty();
        credential.Scopes.ShouldAllBe(scope => scope == NpgsqlEntraAuthentication.Scope);
        // The token reaches the server only as the password of a login; no setting or connection string holds it.
        dataSource.ConnectionString.ShouldNotContain(token);
        dataSource.ConnectionString.ShouldNotContain("Password", Case.Insensitive);
    }

    [Fact]
    public async Task Another_token_is_refused_so_the_login_really_depends_on_the_provider()
    {
        var (_, _, connectionString) = await CreateTokenRoleAsync();
        var credential = new StaticTokenCredential(FakeToken());
        using var host = BuildHost(connectionString, credential);

        var refused = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        });

        refused.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
        credential.Scopes.ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("Host=db.example;Database=platformdb;Username=id-app;Password=secret", "carries a password")]
    [InlineData("Host=db.example;Database=platformdb", "names no Username")]
    public void A_connection_string_that_contradicts_entra_authentication_stops_the_start(string connectionString, string reason)
    {
        var error = Should.Throw<InvalidOperationException>(() => BuildHost(connectionString, new StaticTokenCredential(FakeToken())));

        error.Message.ShouldContain(reason);
        error.Message.ShouldContain("ConnectionStrings:platformdb");
        error.Message.ShouldNotContain("secret");
    }

    [Theory]
    [InlineData("EntraTokenRefreshSeconds", "5")]
    [InlineData("EntraTokenRetrySeconds", "0")]
    public void Token_refresh_intervals_out_of_range_stop_the_start(string setting, string value)
    {
        var error = Should.Throw<InvalidOperationException>(() => BuildHost(
            "Host=db.example;Database=platformdb;Username=id-app", new StaticTokenCredential(FakeToken()),
            new() { [$"{NpgsqlSettings.SectionName}:{setting}"] = value }));

        error.Message.ShouldContain($"{NpgsqlSettings.SectionName}:{setting}");
    }

    /// <summary>A role whose password is a token-shaped string, made to log in with it, and a connection string with no password.</summary>
    private async Task<(string Role, string Token, string ConnectionString)> CreateTokenRoleAsync()
    {
        Assert.SkipUnless(servers.Postgres.IsOwned, "An external Postgres (PLATFORM_TEST_POSTGRES) cannot have its pg_hba.conf changed by the test.");
        var database = await servers.CreateDatabaseAsync(migrated: false);
        var role = $"id-app-{Guid.NewGuid():N}"[..24];
        var token = FakeToken();
        await using (var admin = new NpgsqlConnection(servers.Postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            // Identifiers and passwords cannot be parameters; both are generated here, the role quoted.
            await admin.ExecuteAsync($"CREATE ROLE \"{role}\" LOGIN PASSWORD '{token}'");
        }
        await servers.Postgres.RequirePasswordForAsync(role);
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = null }.ConnectionString;
        return (role, token, connectionString);
    }

    private static IHost BuildHost(string connectionString, TokenCredential credential, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:platformdb"] = connectionString,
            [$"{NpgsqlSettings.SectionName}:{nameof(NpgsqlSettings.UseEntraAuthentication)}"] = "true",
            [$"{NpgsqlSettings.SectionName}:{nameof(NpgsqlSettings.DisableHealthChecks)}"] = "true",
            [$"{NpgsqlSettings.SectionName}:{nameof(NpgsqlSettings.DisableTracing)}"] = "true",
            [$"{NpgsqlSettings.SectionName}:{nameof(NpgsqlSettings.DisableMetrics)}"] = "true",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(credential);
        builder.AddNpgsqlDataSource("platformdb");
        return builder.Build();
    }

    /// <summary>A JWT-sized string (Entra access tokens run to a couple of thousand characters).</summary>
    private static string FakeToken() =>
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(new byte[1200]).ToArray())
            .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    /// <summary>Returns one token and records the scopes it was asked for, as a managed identity would be asked.</summary>
    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> Scopes { get { lock (_scopes) { return [.. _scopes]; } } }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (_scopes)
            {
                _scopes.AddRange(requestContext.Scopes);
            }
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
