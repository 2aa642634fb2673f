using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Pages;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// Pages written together (ADR 0041): the pages that reach the writer while a write is open share the next transaction,
/// each still with its own compare-and-set, raw rows, consolidation page and next message; a second copy of a page in the
/// same batch is skipped; and a page that cannot be written fails alone while the others of its batch commit.
/// </summary>
public sealed class PageWriterTests(PlatformServers servers)
{
    private const int PageSize = 2;

    [Fact]
    public async Task Pages_that_wait_for_an_open_write_share_the_next_transaction_each_with_its_own_effects()
    {
        await using var fixture = await Fixture.StartAsync(servers);
        var writer = fixture.Writer();

        // The first page's write waits on its partition's row lock, so the next four arrive while it is open.
        var first = await fixture.WhileWriteIsBlockedAsync("p0", writer, () =>
            [fixture.Page("p1"), fixture.Page("p2"), fixture.Page("p3"), fixture.Page("p1")]);

        first.Written.ShouldBe([true, true, true, true, false], "the second copy of p1's page is a duplicate");
        var partitions = (await fixture.QueryAsync<(string Id, int NextOffset, long Xmin)>(
            "SELECT partition_id, next_offset, xmin::text::bigint FROM run_partitions WHERE run_id = @RunId ORDER BY partition_id")).ToList();
        partitions.Select(p => p.NextOffset).ShouldAllBe(offset => offset == PageSize);
        partitions.Skip(1).Select(p => p.Xmin).Distinct().ShouldHaveSingleItem("p1–p3 were written in one transaction");
        partitions[0].Xmin.ShouldNotBe(partitions[1].Xmin, "p0 was written before, alone");

        (await fixture.QueryAsync<int>("SELECT cardinality(raw_item_ids) FROM consolidation_pages ORDER BY id"))
            .ShouldBe([PageSize, PageSize, PageSize, PageSize], "one consolidation page per written page, as before");
        (await fixture.QueryAsync<string>("SELECT supplier_stone_id FROM raw_items ORDER BY supplier_stone_id"))
            .ShouldBe(["p0-0", "p0-1", "p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]);
        (await fixture.QueryAsync<string>("SELECT message_id FROM queue_messages WHERE queue = @IngestPage ORDER BY message_id", new { QueueNames.IngestPage }))
            .ShouldBe(new[] { "p0", "p1", "p2", "p3" }.Select(p => $"{fixture.RunId}:{p}:{PageSize}").ToList(), "each page's next page, once");
    }

    [Fact]
    public async Task A_page_that_cannot_be_written_fails_alone_and_the_rest_of_its_batch_commits()
    {
        await using var fixture = await Fixture.StartAsync(servers);
        var writer = fixture.Writer();

        var result = await fixture.WhileWriteIsBlockedAsync("p0", writer, () =>
            [fixture.Page("p1"), fixture.Page("p2", payload: "{not json"), fixture.Page("p3")]);

        result.Written.ShouldBe([true, true, false, true]);
        result.Errors[2].ShouldBeOfType<PostgresException>().SqlState.ShouldBe(PostgresErrorCodes.InvalidTextRepresentation);
        result.Errors.Where((_, i) => i != 2).ShouldAllBe(error => error == null);
        (await fixture.QueryAsync<(string Id, int NextOffset)>("SELECT partition_id, next_offset FROM run_partitions WHERE run_id = @RunId ORDER BY partition_id"))
            .ShouldBe([("p0", PageSize), ("p1", PageSize), ("p2", 0), ("p3", PageSize)], "the bad page changed nothing; its message will be retried");
        (await fixture.QueryAsync<string>("SELECT DISTINCT split_part(supplier_stone_id, '-', 1) FROM raw_items ORDER BY 1")).ShouldBe(["p0", "p1", "p3"]);
    }

    private sealed class Fixture(NpgsqlDataSource dataSource, Guid orgId, Guid feedId, Guid runId) : IAsyncDisposable
    {
        public Guid RunId => runId;

        public static async Task<Fixture> StartAsync(PlatformServers servers)
        {
            var database = await servers.CreateDatabaseAsync();
            var dataSource = database.CreateDataSource();
            var (orgId, feedId, runId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("""
                INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, 'page-writer', 'Page writer', 'pro');
                INSERT INTO feeds (id, org_id, name, adapter, config) VALUES (@feedId, @orgId, 'simulator', 'simulator', '{}');
                INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to)
                VALUES (@runId, @orgId, @feedId, 'full', 'running', 'test', now() - interval '1 day', now());
                INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records)
                SELECT @runId, 'p' || n, @orgId, n * 100, n * 100 + 100, 10 FROM generate_series(0, 3) AS n;
                """, new { orgId, feedId, runId });
            return new Fixture(dataSource, orgId, feedId, runId);
        }

        public PageWriter Writer() => new(dataSource,
            new PostgresPublisher(dataSource, Options.Create(new MessagingOptions()), TimeProvider.System),
            Options.Create(new PipelineOptions { PageWriteBatch = 8, PageWriters = 1 }), NullLogger<PageWriter>.Instance);

        /// <summary>A full first page of the partition (so its next page is enqueued), with stones named after it.</summary>
        public PageWrite Page(string partitionId, string? payload = null)
        {
            var message = new PageMessage(runId, orgId, feedId, partitionId, 0, 100, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 0, PageSize);
            var stones = Enumerable.Range(0, PageSize)
                .Select(i => new RawStone($"{partitionId}-{i}", null, DateTimeOffset.UtcNow, payload ?? $$"""{"id":"{{partitionId}}-{{i}}"}"""))
                .ToList();
            return new PageWrite(message, FullRun: true, stones, PageSize, HasMore: true);
        }

        /// <summary>
        /// Holds <paramref name="partitionId"/>'s row lock, writes that partition's page (which waits on the lock), submits
        /// the other pages while it waits, then lets go. Returns every page's outcome, the blocked one first.
        /// </summary>
        public async Task<(bool[] Written, Exception?[] Errors)> WhileWriteIsBlockedAsync(
            string partitionId, PageWriter writer, Func<PageWrite[]> others)
        {
            await using var blocker = await dataSource.OpenConnectionAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT 1 FROM run_partitions WHERE run_id = @runId AND partition_id = @partitionId FOR UPDATE",
                new { runId, partitionId }, hold);
            var blocked = writer.WriteAsync(Page(partitionId));
            // Asked outside the holding transaction: pg_stat_activity is a snapshot per transaction.
            await Eventually.TrueAsync(async () => (await QueryAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')")).Single(),
                TimeSpan.FromSeconds(10), "the first write waits on the row lock");
            var rest = others().Select(writer.WriteAsync).ToList();
            await hold.CommitAsync();

            var outcomes = await Task.WhenAll(rest.Prepend(blocked).Select(async write =>
            {
                try
                {
                    return (Written: (await write).Written, Error: (Exception?)null);
                }
                catch (Exception e)
                {
                    return (Written: false, Error: e);
                }
            }));
            return ([.. outcomes.Select(o => o.Written)], [.. outcomes.Select(o => o.Error)]);
        }

        public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return (await connection.QueryAsync<T>(sql, parameters ?? new { RunId = runId })).ToList();
        }

        public ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}
