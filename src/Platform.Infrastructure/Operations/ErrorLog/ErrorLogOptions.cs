using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>Section <c>ErrorLog</c>: the buffered writer of <c>error_log</c> and its retention (ADR 0030).</summary>
public sealed class ErrorLogOptions
{
    public const string SectionName = "ErrorLog";

    /// <summary>Errors held in memory waiting for a write; when full, new errors are dropped (counted and logged), never waited for.</summary>
    [Range(10, 1_000_000)]
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Rows per INSERT.</summary>
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How long the writer waits to fill a batch before it writes what it has.</summary>
    [Range(10, 60_000)]
    public int FlushIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>Rows older than this are deleted by the maintenance role.</summary>
    [Range(1, 3_650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the maintenance role prunes.</summary>
    [Range(1, 1_440)]
    public int PruneIntervalMinutes { get; set; } = 60;

    /// <summary>Rows per DELETE statement while pruning, so a large backlog never holds one long lock.</summary>
    [Range(100, 100_000)]
    public int PruneBatchSize { get; set; } = 10_000;

    /// <summary>The <c>service</c> column; empty: derived from the application name (<c>Platform.Api</c> → <c>api</c>).</summary>
    [MaxLength(50)]
    public string? Service { get; set; }
}
