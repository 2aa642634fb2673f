namespace Platform.FeedSimulator.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Simulator:Size", "0", "Simulator:Size must be between 1 and 5000000")]
    [InlineData("Simulator:Size", "5000001", "Simulator:Size must be between 1 and 5000000")]
    [InlineData("Simulator:MaxPageSize", "0", "Simulator:MaxPageSize must be between 1 and 1000")]
    [InlineData("Simulator:DefaultPageSize", "51", "Simulator:DefaultPageSize must be between 1 and Simulator:MaxPageSize")]
    [InlineData("Simulator:Faults:Rules:0:Kind", "explode", "Simulator:Faults:Rules:0:Kind must be one of")]
    public async Task A_host_with_an_invalid_setting_fails_to_start_naming_the_setting(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Simulator:Faults", StringComparison.Ordinal))
        {
            settings["Simulator:Faults:Rules:0:Count"] = "1";
        }

        var failure = await Should.ThrowAsync<Exception>(async () =>
        {
            await using var simulator = SimulatorHost.Start(settings: settings);
        });

        AllMessages(failure).ShouldContain(message);
    }

    private static string AllMessages(Exception failure) =>
        failure is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(AllMessages))
            : failure.Message + (failure.InnerException is { } inner ? " | " + AllMessages(inner) : "");
}
