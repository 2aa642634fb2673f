namespace Platform.IntegrationTests.Hosting;

/// <summary>Bad configuration stops a service at start with a message that names the setting.</summary>
public sealed class ConfigurationValidationTests(PlatformServers servers)
{
    [Fact]
    public async Task Missing_database_connection_string_names_the_setting()
    {
        await using var api = new ApiFactory("", servers.Redis.ConnectionString);

        var error = Should.Throw<InvalidOperationException>(() => api.CreateClient());

        error.Message.ShouldContain("ConnectionStrings:platformdb");
    }

    [Fact]
    public async Task Missing_cache_connection_string_names_the_setting()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, "");

        var error = Should.Throw<InvalidOperationException>(() => api.CreateClient());

        error.Message.ShouldContain("ConnectionStrings:cache");
    }

    [Theory]
    [InlineData("Aspire:Npgsql:MaxPoolSize", "0", "Aspire:Npgsql:MaxPoolSize")]
    [InlineData("Aspire:Npgsql:CommandTimeoutSeconds", "-5", "Aspire:Npgsql:CommandTimeoutSeconds")]
    public async Task Out_of_range_values_name_the_setting(string key, string value, string expected)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { [key] = value });

        var error = Should.Throw<InvalidOperationException>(() => api.CreateClient());

        error.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task Malformed_database_connection_string_names_the_setting()
    {
        await using var api = new ApiFactory("Host=127.0.0.1;NoSuchKeyword=1", servers.Redis.ConnectionString);

        var error = Should.Throw<InvalidOperationException>(() => api.CreateClient());

        error.Message.ShouldContain("ConnectionStrings:platformdb");
    }

    [Theory]
    [InlineData(null, "Catalog:Cursor:SigningKey")]
    [InlineData(Platform.Domain.Catalog.Paging.CursorSigningOptions.DevelopmentSigningKey, "development key")]
    [InlineData("c2hvcnQ=", "at least 32 bytes")]
    public async Task Outside_development_the_api_needs_its_own_cursor_signing_key(string? key, string expected)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["environment"] = "Production", ["Catalog:Cursor:SigningKey"] = key });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain(expected);
    }

    [Theory]
    [InlineData("", "Secrets:EncryptionKey is required outside Development")]
    [InlineData("c2hvcnQ=", "Secrets:EncryptionKey must be base64 of exactly 32 bytes")]
    public async Task Outside_development_the_api_needs_a_secrets_encryption_key(string key, string expected)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Catalog:Cursor:SigningKey"] = Convert.ToBase64String(new byte[48].Select((_, i) => (byte)(i * 7 + 1)).ToArray()),
            ["Secrets:EncryptionKey"] = key,
        });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain(expected);
    }

    [Fact]
    public async Task Any_origin_together_with_credentials_stops_the_start_with_a_clear_message()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "*", ["Cors:AllowCredentials"] = "true" });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain("Cors:AllowedOrigins contains '*' while Cors:AllowCredentials is true");
    }

    [Fact]
    public async Task A_cors_origin_with_a_path_stops_the_start_and_names_the_entry()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://shop.example/app/" });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain("'https://shop.example/app/' is not an origin");
    }
}
