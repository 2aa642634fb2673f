using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security.Egress;

/// <summary>Refuses to start with an allow-list entry that is not a plain host name, so a typo cannot silently widen or break it.</summary>
public sealed class EgressOptionsValidator : IValidateOptions<EgressOptions>
{
    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        var errors = new List<string>();
        if (options.AllowedHosts.Count > EgressOptions.MaxAllowedHosts)
        {
            errors.Add($"{EgressOptions.SectionName}:AllowedHosts holds at most {EgressOptions.MaxAllowedHosts} hosts.");
        }
        foreach (var host in options.AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host.Trim()) is UriHostNameType.Unknown || host.Contains('*'))
            {
                errors.Add($"{EgressOptions.SectionName}:AllowedHosts entry '{host}' must be a host name or IP address without scheme, port or wildcard.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
