namespace Platform.Domain.Tenancy;

/// <summary>
/// What a person may do in an organization's dashboard (API keys carry scopes instead). Ordered from most to least:
/// an owner also manages billing and owners, an admin manages members and keys, an editor changes feeds and pricing,
/// a viewer reads.
/// </summary>
public static class MemberRole
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Editor, Viewer];

    public static bool IsKnown(string role) => All.Contains(role);
}
