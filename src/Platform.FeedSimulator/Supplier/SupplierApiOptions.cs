namespace Platform.FeedSimulator.Supplier;

/// <summary>How the fake supplier API behaves towards its callers.</summary>
public sealed class SupplierApiOptions
{
    public const string SectionName = "Simulator";
    public const int PageSizeCeiling = 1000;

    /// <summary>When set, every /api/v1 call needs "Authorization: Bearer &lt;token&gt;".</summary>
    public string? ApiToken { get; set; }

    /// <summary>Nivoda's search allows 50 stones a page.</summary>
    public int MaxPageSize { get; set; } = 50;

    /// <summary>The page size when a caller gives no limit (the Nivoda worker asks for 30).</summary>
    public int DefaultPageSize { get; set; } = 30;
}

internal sealed class SupplierApiOptionsValidator : IValidateOptions<SupplierApiOptions>
{
    public ValidateOptionsResult Validate(string? name, SupplierApiOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPageSize is < 1 or > SupplierApiOptions.PageSizeCeiling)
        {
            failures.Add($"Simulator:MaxPageSize must be between 1 and {SupplierApiOptions.PageSizeCeiling} (was {options.MaxPageSize}).");
        }
        if (options.DefaultPageSize < 1 || options.DefaultPageSize > options.MaxPageSize)
        {
            failures.Add($"Simulator:DefaultPageSize must be between 1 and Simulator:MaxPageSize (was {options.DefaultPageSize}).");
        }
        if (options.ApiToken is { } token && token.Length > 0 && string.IsNullOrWhiteSpace(token))
        {
            failures.Add("Simulator:ApiToken must not be blank when set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
