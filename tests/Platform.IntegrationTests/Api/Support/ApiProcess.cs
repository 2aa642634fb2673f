namespace Platform.IntegrationTests.Api.Support;

/// <summary>The api as a real process over real HTTP (for npm clients that must not talk to a TestServer), on a migrated test database.</summary>
public static class ApiProcess
{
    public static async Task<ServiceProcess> StartAsync(
        string databaseConnectionString, string redisConnectionString, string logName, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__platformdb"] = databaseConnectionString,
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        var api = new ServiceProcess("Platform.Api", FreePort.Next(), environment, logName);
        try
        {
            await api.StartAsync();
            return api;
        }
        catch
        {
            // A process that started but never became ready must not outlive the test.
            await api.DisposeAsync();
            throw;
        }
    }
}
