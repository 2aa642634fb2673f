namespace Platform.Domain.Tenancy;

/// <summary>The service plans; their capacities and rates live in the <c>plans</c> table (PLATFORM §4).</summary>
public static class PlanCode
{
    public const string Free = "free";
    public const string Pro = "pro";
    public const string Enterprise = "enterprise";

    public static readonly IReadOnlyList<string> All = [Free, Pro, Enterprise];
}
