using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Ingestion.Runs;

public static class FeedStore
{
    public static Task<FeedDefinition?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, Guid feedId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<FeedDefinition>(new CommandDefinition("""
            SELECT id AS "Id", org_id AS "OrgId", adapter AS "Adapter", config::text AS "ConfigJson", secret_ref AS "SecretRef",
                   page_size AS "PageSize", max_page_size AS "MaxPageSize", upstream_rps AS "UpstreamRps"
            FROM feeds WHERE org_id = @orgId AND id = @feedId
            """, new { orgId, feedId }, transaction, cancellationToken: cancellationToken));
}
