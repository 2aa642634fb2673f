using Platform.Domain.Catalog;

namespace Platform.IntegrationTests.Catalog;

/// <summary>
/// The search bounds grade sorts by ranks computed in C# (<see cref="DiamondGrades.RankOf"/>) against an index on the
/// SQL rank functions (migration 0013): both must rank every grade, and an unknown one, the same way, or a page
/// filtered by grade would silently miss stones.
/// </summary>
public sealed class GradeRankTests(PlatformServers servers)
{
    [Fact]
    public async Task The_sql_rank_functions_rank_every_grade_as_the_domain_does()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);

        foreach (var (function, vocabulary) in new[] { ("catalog_color_rank", DiamondGrades.Colors), ("catalog_clarity_rank", DiamondGrades.Clarities) })
        {
            foreach (var grade in vocabulary.Append("NOT_A_GRADE"))
            {
                var sqlRank = await connection.ExecuteScalarAsync<int>($"SELECT {function}(@grade)", new { grade });
                sqlRank.ShouldBe(DiamondGrades.RankOf(vocabulary, grade), $"{function}('{grade}')");
            }
        }
    }
}
