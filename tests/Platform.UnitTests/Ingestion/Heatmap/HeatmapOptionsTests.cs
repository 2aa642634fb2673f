using Platform.Domain.Ingestion.Heatmap;

namespace Platform.UnitTests.Ingestion.Heatmap;

public sealed class HeatmapOptionsTests
{
    [Fact]
    public void Defaults_are_those_of_the_specification_and_valid()
    {
        var options = new HeatmapOptions();

        (options.MinPrice, options.MaxPrice, options.DenseZoneThreshold, options.DenseZoneStep).ShouldBe((0m, 250_000m, 20_000m, 100m));
        (options.InitialStep, options.TargetRecordsPerChunk, options.MinStep, options.MaxStep).ShouldBe((500m, 500L, 200m, 50_000m));
        (options.EmptyZoomFactor, options.MaxZoomStep, options.Concurrency).ShouldBe((5, 100_000m, 3));
        (options.MaxWorkers, options.MinRecordsPerWorker, options.UseTwoPassScan, options.CoarseStep).ShouldBe((1_000, 1_000, false, 5_000m));
        (options.FineMinStep, options.FineMaxStep, options.FineEmptyZoomFactor).ShouldBe((100m, 10_000m, 2));
        options.MaxTotalRecords.ShouldBeNull();
        options.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Incremental_options_only_lower_the_worker_cap_to_10()
    {
        var options = new HeatmapOptions { Concurrency = 2 };

        options.ForIncremental().ShouldBe(options with { MaxWorkers = 10 });
    }

    [Theory]
    [InlineData("MinPrice")]
    [InlineData("MaxPrice")]
    [InlineData("DenseZoneStep")]
    [InlineData("InitialStep")]
    [InlineData("MinStep")]
    [InlineData("MaxStep")]
    [InlineData("CoarseStep")]
    [InlineData("FineMaxStep")]
    [InlineData("TargetRecordsPerChunk")]
    [InlineData("EmptyZoomFactor")]
    [InlineData("Concurrency")]
    [InlineData("MaxWorkers")]
    [InlineData("MinRecordsPerWorker")]
    [InlineData("MaxTotalRecords")]
    [InlineData("CountRetries")]
    [InlineData("CountRetryDelay")]
    public void Nonsensical_values_are_reported_by_field_name(string field)
    {
        var options = field switch
        {
            "MinPrice" => new HeatmapOptions { MinPrice = 10.5m },
            "MaxPrice" => new HeatmapOptions { MinPrice = 1_000, MaxPrice = 1_000 },
            "DenseZoneStep" => new HeatmapOptions { DenseZoneStep = 0 },
            "InitialStep" => new HeatmapOptions { InitialStep = -500 },
            "MinStep" => new HeatmapOptions { MinStep = 0.5m },
            "MaxStep" => new HeatmapOptions { MinStep = 300, MaxStep = 200 },
            "CoarseStep" => new HeatmapOptions { CoarseStep = 0 },
            "FineMaxStep" => new HeatmapOptions { FineMinStep = 500, FineMaxStep = 100 },
            "TargetRecordsPerChunk" => new HeatmapOptions { TargetRecordsPerChunk = 0 },
            "EmptyZoomFactor" => new HeatmapOptions { EmptyZoomFactor = 0 },
            "Concurrency" => new HeatmapOptions { Concurrency = 0 },
            "MaxWorkers" => new HeatmapOptions { MaxWorkers = 0 },
            "MinRecordsPerWorker" => new HeatmapOptions { MinRecordsPerWorker = 0 },
            "MaxTotalRecords" => new HeatmapOptions { MaxTotalRecords = 0 },
            "CountRetries" => new HeatmapOptions { CountRetries = -1 },
            "CountRetryDelay" => new HeatmapOptions { CountRetryDelay = TimeSpan.FromSeconds(-1) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var problems = options.Validate();

        problems.ShouldNotBeEmpty();
        problems.ShouldAllBe(problem => problem.StartsWith(field + " "));
    }

    [Fact]
    public void The_scanner_refuses_invalid_options_listing_every_problem()
    {
        var options = new HeatmapOptions { MaxPrice = -1, Concurrency = 0 };

        var failure = Should.Throw<ArgumentException>(() => new HeatmapScanner(options, TimeProvider.System));

        failure.Message.ShouldContain("MaxPrice");
        failure.Message.ShouldContain("Concurrency");
    }
}
