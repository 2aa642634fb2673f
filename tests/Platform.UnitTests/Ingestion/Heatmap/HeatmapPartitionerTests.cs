using Platform.Domain.Ingestion.Heatmap;
using static Platform.UnitTests.Ingestion.Heatmap.HeatmapTesting;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapPartitionerTests
{
    private static DensityChunk Chunk(decimal min, decimal max, long count) => new(new PriceRange(min, max), count);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1_000, 1)]
    [InlineData(1_001, 2)]
    [InlineData(20_000, 20)]
    [InlineData(999_000, 999)]
    [InlineData(5_000_000, 1_000)]
    public void Full_runs_get_one_worker_per_thousand_records_capped_at_1000(long total, int workers)
    {
        HeatmapPartitioner.WorkerCount(total, Options).ShouldBe(workers);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(9_500, 10)]
    [InlineData(5_000_000, 10)]
    public void Incremental_runs_are_capped_at_10_workers(long total, int workers)
    {
        HeatmapPartitioner.WorkerCount(total, Options.ForIncremental()).ShouldBe(workers);
    }

    [Fact]
    public void A_chunk_over_one_and_a_half_targets_is_split_into_equal_price_pieces_with_even_counts()
    {
        var pieces = HeatmapPartitioner.SplitOversized([Chunk(0, 100, 100), Chunk(100, 1_100, 3_000)], target: 775);

        pieces.ShouldBe([
            Chunk(0, 100, 100),
            Chunk(100, 350, 750),
            Chunk(350, 600, 750),
            Chunk(600, 850, 750),
            Chunk(850, 1_100, 750),
        ]);
    }

    [Fact]
    public void Split_pieces_are_whole_dollars_and_keep_the_whole_count()
    {
        var pieces = HeatmapPartitioner.SplitOversized([Chunk(0, 10, 1_001)], target: 400);

        pieces.ShouldBe([Chunk(0, 3, 334), Chunk(3, 6, 334), Chunk(6, 10, 333)]);
    }

    [Fact]
    public void A_chunk_of_exactly_one_and_a_half_targets_stays_whole()
    {
        HeatmapPartitioner.SplitOversized([Chunk(0, 1_000, 150)], target: 100).ShouldBe([Chunk(0, 1_000, 150)]);
    }

    [Fact]
    public void A_chunk_too_narrow_to_split_stays_whole_or_splits_into_single_dollars()
    {
        HeatmapPartitioner.SplitOversized([Chunk(500, 501, 5_000)], target: 100).ShouldBe([Chunk(500, 501, 5_000)]);
        HeatmapPartitioner.SplitOversized([Chunk(500, 502, 5_000)], target: 100)
            .ShouldBe([Chunk(500, 501, 2_500), Chunk(501, 502, 2_500)]);
    }

    [Fact]
    public void Consecutive_chunks_are_grouped_until_each_partition_reaches_the_target()
    {
        var chunks = new[] { Chunk(0, 100, 500), Chunk(100, 200, 500), Chunk(200, 300, 500), Chunk(300, 400, 500) };

        var partitions = HeatmapPartitioner.Partition(chunks, Options);

        partitions.ShouldBe([
            new HeatmapPartition("p-0001", 0, 200, 1_000),
            new HeatmapPartition("p-0002", 200, 250_000, 1_000),
        ]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Partitions_never_outnumber_workers_and_tile_the_span(int seed)
    {
        var random = new Random(seed);
        var chunks = Enumerable.Range(0, 300)
            .Where(_ => random.Next(4) > 0)
            .Select(k => Chunk(k * 500, (k + 1) * 500, random.Next(1, 5_000)))
            .ToList();
        var options = seed % 2 == 0 ? Options : Options.ForIncremental();

        var partitions = HeatmapPartitioner.Partition(chunks, options);

        var total = chunks.Sum(chunk => chunk.Count);
        partitions.Count.ShouldBeLessThanOrEqualTo(HeatmapPartitioner.WorkerCount(total, options));
        partitions.Sum(partition => partition.EstimatedRecords).ShouldBe(total);
        partitions[0].MinPrice.ShouldBe(0);
        partitions[^1].MaxPrice.ShouldBe(250_000);
        partitions.Zip(partitions.Skip(1)).ShouldAllBe(pair => pair.First.MaxPrice == pair.Second.MinPrice);
        partitions.ShouldAllBe(partition => partition.MinPrice < partition.MaxPrice);
        partitions.Select(partition => partition.PartitionId)
            .ShouldBe(Enumerable.Range(1, partitions.Count).Select(n => $"p-{n:D4}"));
    }

    [Fact]
    public async Task Partitions_of_a_real_scan_are_balanced_around_the_target()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);

        var result = await ScanAsync(feed);

        result.WorkerCount.ShouldBeInRange(15, 20); // greedy partitions each reach the target, so some of the 20 may go unused
        result.Partitions.SkipLast(1).ShouldAllBe(partition => partition.EstimatedRecords >= 1_000 && partition.EstimatedRecords < 1_700);
        result.Partitions.ShouldAllBe(partition => feed.CountIn(partition.Range) > 0);
    }

    [Fact]
    public async Task Record_cap_sizes_the_workers_and_truncates_the_last_partition()
    {
        var feed = FakeFeed.Generate(seed: 42, count: 20_000);

        var result = await ScanAsync(feed, Options with { MaxTotalRecords = 2_500 });

        result.TotalRecords.ShouldBe(20_000);
        result.Partitions.Count.ShouldBeLessThanOrEqualTo(3);
        result.Partitions.Sum(partition => partition.EstimatedRecords).ShouldBe(2_500);
        result.Partitions[0].MinPrice.ShouldBe(0);
    }

    [Fact]
    public void Record_cap_drops_partitions_once_it_is_reached()
    {
        HeatmapPartition[] partitions = [new("p-0001", 0, 10, 600), new("p-0002", 10, 20, 600), new("p-0003", 20, 30, 600)];

        HeatmapPartitioner.ApplyRecordCap(partitions, 1_000)
            .ShouldBe([new HeatmapPartition("p-0001", 0, 10, 600), new HeatmapPartition("p-0002", 10, 20, 400)]);
        HeatmapPartitioner.ApplyRecordCap(partitions, null).ShouldBe(partitions);
    }
}
