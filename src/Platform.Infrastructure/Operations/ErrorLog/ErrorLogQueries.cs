using System.Text.Json;

namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>One error as the admin API shows it.</summary>
public sealed class ErrorLogEntry
{
    public required long Id { get; init; }
    public required string Service { get; init; }
    public required string Category { get; init; }
    public required string Code { get; init; }
    public required string Message { get; init; }
    public required JsonElement Context { get; init; }
    public string? TraceId { get; init; }
    public required string Fingerprint { get; init; }
    public Guid? OrganizationId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>Filters of the list and the trends; each optional, combined with AND. <c>From</c> inclusive, <c>To</c> exclusive.</summary>
public sealed record ErrorLogFilter(string? Service, string? Category, string? Code, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>How often one fingerprint occurred in one hour.</summary>
public sealed class ErrorTrendBucket
{
    public required string Fingerprint { get; init; }
    public required DateTimeOffset Hour { get; init; }
    public required long Count { get; init; }
}

/// <summary>A fingerprint of the trends: what it is and its total in the window.</summary>
public sealed record ErrorTrendFingerprint(string Fingerprint, string Service, string Category, string Code, string SampleMessage, long Count);

public sealed class ErrorLogQueries(NpgsqlDataSource dataSource)
{
    private const string Filter = """
        (@service::text IS NULL OR service = @service)
          AND (@category::text IS NULL OR category = @category)
          AND (@code::text IS NULL OR code = @code)
          AND (@from::timestamptz IS NULL OR occurred_at >= @from)
          AND (@to::timestamptz IS NULL OR occurred_at < @to)
        """;

    /// <summary>Newest first, keyset-paged by id (ids grow with time closely enough for a log; the id is the tie-breaker).</summary>
    public async Task<IReadOnlyList<ErrorLogEntry>> ListAsync(ErrorLogFilter filter, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT id AS "Id", service AS "Service", category AS "Category", code AS "Code", message AS "Message",
                   context::text AS "Context", trace_id AS "TraceId", fingerprint AS "Fingerprint", org_id AS "OrgId", occurred_at AS "OccurredAt"
            FROM error_log
            WHERE {Filter} AND (@beforeId::bigint IS NULL OR id < @beforeId)
            ORDER BY id DESC
            LIMIT @limit
            """, Parameters(filter, new { beforeId, limit }), cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    /// <summary>Counts per fingerprint and hour within [from, to), at most <paramref name="maxFingerprints"/> fingerprints (the most frequent).</summary>
    public async Task<(IReadOnlyList<ErrorTrendFingerprint> Fingerprints, IReadOnlyList<ErrorTrendBucket> Buckets)> TrendsAsync(
        ErrorLogFilter filter, int maxFingerprints, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = Parameters(filter, new { maxFingerprints });
        var fingerprints = (await connection.QueryAsync<ErrorTrendFingerprint>(new CommandDefinition($"""
            SELECT fingerprint AS "Fingerprint", min(service) AS "Service", min(category) AS "Category", min(code) AS "Code",
                   (array_agg(message ORDER BY id DESC))[1] AS "SampleMessage", count(*) AS "Count"
            FROM error_log
            WHERE {Filter}
            GROUP BY fingerprint
            ORDER BY count(*) DESC, fingerprint
            LIMIT @maxFingerprints
            """, parameters, cancellationToken: cancellationToken))).ToList();
        var buckets = (await connection.QueryAsync<ErrorTrendBucket>(new CommandDefinition($"""
            SELECT fingerprint AS "Fingerprint", date_trunc('hour', occurred_at, 'UTC') AS "Hour", count(*) AS "Count"
            FROM error_log
            WHERE {Filter} AND fingerprint = ANY(@fingerprints)
            GROUP BY 1, 2
            ORDER BY 2, 1
            """, Parameters(filter, new { fingerprints = fingerprints.Select(f => f.Fingerprint).ToArray() }), cancellationToken: cancellationToken))).ToList();
        return (fingerprints, buckets);
    }

    private static DynamicParameters Parameters(ErrorLogFilter filter, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("service", filter.Service);
        parameters.Add("category", filter.Category);
        parameters.Add("code", filter.Code);
        parameters.Add("from", filter.From?.UtcDateTime);
        parameters.Add("to", filter.To?.UtcDateTime);
        return parameters;
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Service { get; init; } = "";
        public string Category { get; init; } = "";
        public string Code { get; init; } = "";
        public string Message { get; init; } = "";
        public string Context { get; init; } = "{}";
        public string? TraceId { get; init; }
        public string Fingerprint { get; init; } = "";
        public Guid? OrgId { get; init; }
        public DateTimeOffset OccurredAt { get; init; }

        public ErrorLogEntry ToEntry() => new()
        {
            Id = Id, Service = Service, Category = Category, Code = Code, Message = Message,
            Context = JsonSerializer.Deserialize<JsonElement>(Context), TraceId = TraceId, Fingerprint = Fingerprint,
            OrganizationId = OrgId, OccurredAt = OccurredAt,
        };
    }
}
