namespace Platform.FeedSimulator.Catalogue;

/// <summary>What the fake catalogue contains: a pure function of these two numbers.</summary>
public sealed class CatalogueOptions
{
    public const string SectionName = "Simulator";
    public const int MaxSize = 5_000_000;

    public int Seed { get; set; } = 42;

    public int Size { get; set; } = 100_000;
}

internal sealed class CatalogueOptionsValidator : IValidateOptions<CatalogueOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogueOptions options) =>
        options.Size is < 1 or > CatalogueOptions.MaxSize
            ? ValidateOptionsResult.Fail(
                $"Simulator:Size must be between 1 and {CatalogueOptions.MaxSize} (was {options.Size}).")
            : ValidateOptionsResult.Success;
}
