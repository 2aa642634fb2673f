using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Logging;

namespace Microsoft.Extensions.Hosting;

public static class StructuredLogging
{
    /// <summary>
    /// Console logs as JSON lines (<see cref="JsonLogFormatter"/>) with scopes, unless <c>Logging:Console:FormatterName</c>
    /// names another formatter (e.g. <c>simple</c> for reading by eye). Levels stay in <c>Logging:LogLevel</c> per environment.
    /// </summary>
    public static TBuilder AddStructuredConsoleLogs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var formatter = builder.Configuration["Logging:Console:FormatterName"] ?? JsonLogFormatter.FormatterName;
        builder.Logging.AddConsole(console => console.FormatterName = formatter);
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, JsonLogFormatterOptions>(json =>
        {
            json.IncludeScopes = true;
            json.Service ??= builder.Environment.ApplicationName;
        });
        return builder;
    }
}
