using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Hosting;

/// <summary>
/// One-shot commands of the api binary: <c>migrate</c> applies migrations; <c>seed-demo [--new-key]</c> also
/// creates the demo organization, feed and key. Output is <c>KEY=value</c> lines so scripts can read it.
/// </summary>
public static class ApiCommands
{
    public delegate Task<int> Command(IServiceProvider services, string[] args, TextWriter output);

    /// <summary>Runs a command in a small host of its own: it needs Postgres only, not Redis or telemetry.</summary>
    public static async Task<int> RunAsync(Command command, string[] args, TextWriter output)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddNpgsqlDataSource("platformdb");
        builder.Services.AddPlatformInfrastructure();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        using var host = builder.Build();
        return await command(host.Services, args, output);
    }

    public static Command? Find(string[] args) => args.FirstOrDefault() switch
    {
        "migrate" => MigrateAsync,
        "seed-demo" => SeedDemoAsync,
        _ => null,
    };

    private static async Task<int> MigrateAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var report = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        foreach (var applied in report.Applied)
        {
            await output.WriteLineAsync($"APPLIED={applied}");
        }
        await output.WriteLineAsync($"SCHEMA_VERSION={report.SchemaVersion}");
        return 0;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        await MigrateAsync(services, args, output);
        var options = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        var feedUrl = options.FeedUrl ?? configuration["services:feedsim:http:0"];
        if (string.IsNullOrWhiteSpace(feedUrl) || !Uri.TryCreate(feedUrl, UriKind.Absolute, out _))
        {
            await Console.Error.WriteLineAsync(
                "seed-demo needs the feed simulator's URL: set 'Demo:FeedUrl' or 'services:feedsim:http:0' to an absolute URL.");
            return 2;
        }
        var result = await services.GetRequiredService<DemoSeeder>().SeedAsync(options, feedUrl, args.Contains("--new-key"), CancellationToken.None);
        await output.WriteLineAsync($"DEMO_ORG_ID={result.OrgId}");
        await output.WriteLineAsync($"DEMO_FEED_ID={result.FeedId}");
        if (result.NewKey is { } key)
        {
            await output.WriteLineAsync($"API_KEY={key.Token}");
        }
        return 0;
    }
}
