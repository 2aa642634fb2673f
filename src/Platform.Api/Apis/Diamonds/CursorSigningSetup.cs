using Microsoft.Extensions.Options;
using Platform.Domain.Catalog.History;
using Platform.Domain.Catalog.Paging;

namespace Platform.Api.Apis.Diamonds;

/// <summary>
/// The cursor signing keys (<see cref="CursorSigningOptions"/>), validated at start. Development and Testing fall
/// back to the public development key so a local run needs no setup; everywhere else a secret key is required.
/// </summary>
public static class CursorSigningSetup
{
    public static IServiceCollection AddCursorSigning(this IServiceCollection services)
    {
        services.AddOptions<CursorSigningOptions>().BindConfiguration(CursorSigningOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (IsDevelopment(environment) && string.IsNullOrWhiteSpace(options.SigningKey))
                {
                    options.SigningKey = CursorSigningOptions.DevelopmentSigningKey;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CursorSigningOptions>, Validator>();
        services.AddSingleton(sp => new CursorCodec(sp.GetRequiredService<IOptions<CursorSigningOptions>>().Value.DecodedKeys()));
        services.AddSingleton<DiamondCursor>();
        services.AddSingleton<PriceHistoryCursor>();
        return services;
    }

    private static bool IsDevelopment(IHostEnvironment environment) => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    private sealed class Validator(IHostEnvironment environment) : IValidateOptions<CursorSigningOptions>
    {
        public ValidateOptionsResult Validate(string? name, CursorSigningOptions options) =>
            options.Validate(IsDevelopment(environment)) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
