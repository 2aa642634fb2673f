namespace Platform.Infrastructure.Database;

/// <summary>Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations when the process starts (safe with many replicas: an advisory lock serialises them).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
