using System.Runtime.CompilerServices;
using Platform.Domain.Catalog.Search;

namespace Platform.Infrastructure.Catalog;

/// <summary>
/// Every active stone of an organization that matches a search, in the search's order, read row by row from one
/// query so an export of any size holds one row in memory. Cancelling the token (the client went away) cancels the
/// query on the server.
/// </summary>
public sealed class DiamondExport(NpgsqlDataSource dataSource)
{
    public async IAsyncEnumerable<DiamondView> ReadAsync(Guid orgId, DiamondSearchCriteria criteria, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = DiamondSearchSql.For(orgId, criteria, after: null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // No command timeout: an export lasts as long as the client takes to read it; the token ends it.
        var rows = connection.QueryUnbufferedAsync<DiamondView>(sql.All, sql.Parameters, commandTimeout: 0);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}
