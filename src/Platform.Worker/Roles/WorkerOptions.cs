namespace Platform.Worker.Roles;

/// <summary>Section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";
    public const string AllRoles = "all";

    /// <summary>Comma-separated role names, or <c>all</c>.</summary>
    public string Roles { get; set; } = AllRoles;

    /// <summary>The selected role names, or a start-up failure naming the setting and the roles that exist.</summary>
    public IReadOnlyList<string> Resolve(IReadOnlyCollection<string> knownRoles)
    {
        var names = Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"Configuration setting '{SectionName}:Roles' is empty; name roles ({Known(knownRoles)}) or '{AllRoles}'.");
        }
        if (names.Contains(AllRoles))
        {
            return [.. knownRoles];
        }
        var unknown = names.Where(name => !knownRoles.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Configuration setting '{SectionName}:Roles' names unknown role(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known roles: {Known(knownRoles)}, or '{AllRoles}'.");
        }
        return names;
    }

    private static string Known(IReadOnlyCollection<string> knownRoles) =>
        knownRoles.Count == 0 ? "none yet" : string.Join(", ", knownRoles);
}
