using Microsoft.Extensions.Options;

namespace Platform.Api.Security;

/// <summary>Browser origins that may call the api (CORS). Empty, the default, means no cross-origin access at all.</summary>
public sealed class CrossOriginOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins such as <c>https://shop.example</c>; <c>*</c> allows any origin, never with credentials.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Lets browsers send cookies or HTTP authentication cross-origin. API keys travel in a header and do not need it.</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public int PreflightMaxAgeSeconds { get; set; } = 600;
}

/// <summary>Refuses settings that would open the api to every site, or that a browser would never match, at start-up.</summary>
public sealed class CrossOriginOptionsValidator : IValidateOptions<CrossOriginOptions>
{
    public ValidateOptionsResult Validate(string? name, CrossOriginOptions options)
    {
        var failures = new List<string>();
        if (options.AllowCredentials && options.AllowedOrigins.Contains("*"))
        {
            failures.Add("Cors:AllowedOrigins contains '*' while Cors:AllowCredentials is true: that would let any web site "
                + "act with a visitor's credentials. List the origins explicitly, or set Cors:AllowCredentials to false.");
        }
        foreach (var origin in options.AllowedOrigins.Where(o => o != "*"))
        {
            if (!IsOrigin(origin))
            {
                failures.Add($"Cors:AllowedOrigins entry '{origin}' is not an origin: use scheme, host and optional port only, "
                    + "e.g. 'https://shop.example' (no path, no trailing slash).");
            }
        }
        if (options.PreflightMaxAgeSeconds is < 0 or > 86_400)
        {
            failures.Add("Cors:PreflightMaxAgeSeconds must be between 0 and 86400.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Browsers send the Origin header as scheme://host[:port]; anything else in the list could never match.
    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);
}
