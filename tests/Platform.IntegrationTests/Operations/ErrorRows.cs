using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.IntegrationTests.Operations;

/// <summary>Seeds <c>error_log</c> rows at given times, fingerprinted as the writer does.</summary>
internal static class ErrorRows
{
    public static async Task InsertAsync(NpgsqlDataSource dataSource, IEnumerable<DateTimeOffset> times, string service = "worker",
        string category = ErrorCategories.Page, string code = ErrorLogCodes.PageFetchFailed, string message = "HttpRequestException: 500 for page 30", Guid? orgId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var time in times)
        {
            await connection.ExecuteAsync("""
                INSERT INTO error_log (service, category, code, message, trace_id, fingerprint, org_id, occurred_at)
                VALUES (@service, @category, @code, @message, 'trace', @fingerprint, @orgId, @time)
                """, new { service, category, code, message, fingerprint = ErrorFingerprint.Of(service, category, code, message), orgId, time = time.UtcDateTime });
        }
    }
}
