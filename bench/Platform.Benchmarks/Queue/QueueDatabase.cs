using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.Benchmarks.Queue;

/// <summary>One side's fresh database with its publisher and the probe its consumers report to.</summary>
public sealed class QueueDatabase : IAsyncDisposable
{
    private const int PublishBatch = 500;

    private readonly BenchDatabase _database;

    private QueueDatabase(BenchDatabase database, string npgsqlSettings)
    {
        _database = database;
        DataSource = database.CreateDataSource(npgsqlSettings);
        Publisher = new PostgresPublisher(DataSource, Options.Create(new MessagingOptions()), TimeProvider.System);
    }

    public string ConnectionString => _database.ConnectionString;
    public NpgsqlDataSource DataSource { get; }
    public PostgresPublisher Publisher { get; }
    public BenchProbe Probe { get; } = new();

    public static async Task<QueueDatabase> CreateAsync(PostgresServer postgres, string npgsqlSettings, CancellationToken cancellationToken) =>
        new(await BenchDatabase.CreateAsync(postgres, "bench_queue", cancellationToken), npgsqlSettings);

    /// <summary>Publishes in batches of 500 as a producer does, then vacuums, so every measurement starts from the same clean table.</summary>
    public async Task FillAsync(int count, string prefix, CancellationToken cancellationToken)
    {
        for (var start = 0; start < count; start += PublishBatch)
        {
            var batch = Enumerable.Range(start, Math.Min(PublishBatch, count - start))
                .Select(i => new OutgoingMessage(QueueBenchmark.Queue, $"{prefix}-{i}", "0")).ToList();
            await Publisher.PublishAsync(batch, cancellationToken);
        }
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE queue_messages", cancellationToken: cancellationToken));
    }

    public async Task<bool> AnyLeftAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM queue_messages WHERE queue = @Queue)", new { QueueBenchmark.Queue }, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
