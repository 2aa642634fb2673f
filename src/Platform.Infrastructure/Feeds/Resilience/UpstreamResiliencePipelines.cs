using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;

namespace Platform.Infrastructure.Feeds.Resilience;

/// <summary>
/// One Polly pipeline per feed (retry outside, circuit breaker inside), so a failing supplier trips only its own
/// feeds' breakers, plus the per-attempt timeout. Built from <see cref="UpstreamOptions"/> on first use of a feed.
/// </summary>
/// <remarks>
/// PLATFORM §11 says the breaker "closes after 3 half-open successes". Polly v8 closes after the first successful
/// half-open probe and has no setting for more; we keep Polly's behaviour rather than hand-roll a breaker. A supplier
/// that fails again right after that probe reopens the breaker as soon as the failures reach the threshold.
/// </remarks>
internal sealed partial class UpstreamResiliencePipelines : IAsyncDisposable
{
    internal static readonly ResiliencePropertyKey<string> FeedKindKey = new("platform.feed_kind");
    internal static readonly ResiliencePropertyKey<string> OperationKey = new("platform.upstream.operation");
    internal static readonly ResiliencePropertyKey<bool> RetrySafeKey = new("platform.upstream.retry_safe");

    private readonly ResiliencePipelineRegistry<Guid> registry = new();
    private readonly UpstreamOptions options;
    private readonly TimeProvider timeProvider;
    private readonly UpstreamCircuitMonitor monitor;
    private readonly Upstream.UpstreamTelemetry telemetry;
    private readonly ILogger<UpstreamResiliencePipelines> logger;

    public UpstreamResiliencePipelines(
        IOptions<UpstreamOptions> options,
        TimeProvider timeProvider,
        UpstreamCircuitMonitor monitor,
        Upstream.UpstreamTelemetry telemetry,
        ILogger<UpstreamResiliencePipelines> logger)
    {
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.monitor = monitor;
        this.telemetry = telemetry;
        this.logger = logger;
        AttemptTimeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(this.options.AttemptTimeout).Build();
    }

    /// <summary>Bounds one HTTP attempt; applied inside the feed's pipeline after the rate-limit wait, so that wait does not eat the attempt's time.</summary>
    internal ResiliencePipeline AttemptTimeout { get; }

    internal ResiliencePipeline For(Guid feedId) =>
        registry.GetOrAddPipeline(feedId, (builder, context) => Configure(builder, context.PipelineKey));

    private void Configure(ResiliencePipelineBuilder builder, Guid feedId)
    {
        builder.TimeProvider = timeProvider;
        var transient = new PredicateBuilder().Handle<Exception>(UpstreamFailures.IsTransient);
        if (options.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // Holds and orders (not retry-safe) are sent again only when the supplier certainly did nothing.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } failure && UpstreamFailures.IsTransient(failure)
                    && (args.Context.Properties.GetValue(RetrySafeKey, true) || UpstreamFailures.ChangedNothing(failure))),
                MaxRetryAttempts = options.RetryCount,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    UpstreamRetryDelay.For(options, args.AttemptNumber, args.Outcome.Exception, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    var operation = args.Context.Properties.GetValue(OperationKey, "unknown");
                    telemetry.RecordRetry(args.Context.Properties.GetValue(FeedKindKey, "unknown"), operation);
                    LogRetry(feedId, operation, UpstreamFailures.OutcomeOf(args.Outcome.Exception!), args.AttemptNumber + 1,
                        (long)args.RetryDelay.TotalMilliseconds, args.Outcome.Exception!.Message);
                    return default;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSampling,
            BreakDuration = options.CircuitBreak,
            OnOpened = args =>
            {
                Changed(feedId, UpstreamCircuitState.Open, "open");
                LogOpened(feedId, (long)args.BreakDuration.TotalMilliseconds);
                return default;
            },
            OnHalfOpened = _ =>
            {
                Changed(feedId, UpstreamCircuitState.HalfOpen, "half_open");
                return default;
            },
            OnClosed = _ =>
            {
                Changed(feedId, UpstreamCircuitState.Closed, "closed");
                LogClosed(feedId);
                return default;
            },
        });
    }

    private void Changed(Guid feedId, UpstreamCircuitState state, string tag)
    {
        monitor.Record(feedId, state);
        telemetry.RecordCircuitStateChange(tag);
    }

    public ValueTask DisposeAsync() => registry.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Upstream {Operation} of feed {FeedId} failed ({Outcome}: {Reason}); retry {Retry} in {DelayMs} ms")]
    private partial void LogRetry(Guid feedId, string operation, string outcome, int retry, long delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream circuit of feed {FeedId} opened; calls fail fast for {BreakMs} ms")]
    private partial void LogOpened(Guid feedId, long breakMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream circuit of feed {FeedId} closed")]
    private partial void LogClosed(Guid feedId);
}
