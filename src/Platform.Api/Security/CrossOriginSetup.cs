using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Platform.Api.Security;

/// <summary>CORS deny-by-default: only the configured origins get CORS headers; everyone else gets none.</summary>
public static class CrossOriginSetup
{
    public static IServiceCollection AddCrossOriginPolicy(this IServiceCollection services)
    {
        services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CrossOriginOptions>, CrossOriginOptionsValidator>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CrossOriginOptions>>((cors, configured) =>
        {
            var origins = configured.Value;
            cors.AddDefaultPolicy(policy =>
            {
                if (origins.AllowedOrigins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins.AllowedOrigins);
                }
                policy.AllowAnyMethod().AllowAnyHeader().SetPreflightMaxAge(TimeSpan.FromSeconds(origins.PreflightMaxAgeSeconds));
                if (origins.AllowCredentials)
                {
                    policy.AllowCredentials();
                }
            });
        });
        return services;
    }
}
