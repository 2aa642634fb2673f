using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.FeedSimulator.Faults;
using Platform.FeedSimulator.Holds;
using Platform.FeedSimulator.Supplier;
using Platform.FeedSimulator.Telemetry;

namespace Platform.FeedSimulator.Hosting;

internal static class SimulatorHostingExtensions
{
    public static WebApplicationBuilder AddFeedSimulator(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<CatalogueOptions, CatalogueOptionsValidator>(CatalogueOptions.SectionName);
        services.AddValidatedOptions<SupplierApiOptions, SupplierApiOptionsValidator>(SupplierApiOptions.SectionName);
        services.AddValidatedOptions<FaultOptions, FaultOptionsValidator>(FaultOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SimulatorMetrics>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<StoneReservations>();
        services.AddSingleton<FaultInjector>();
        services.AddHostedService<CatalogueWarmup>();

        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SimulatorJsonContext.Default));
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("code", SimulatorProblems.CodeFor(context.ProblemDetails.Status)));
        return builder;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
