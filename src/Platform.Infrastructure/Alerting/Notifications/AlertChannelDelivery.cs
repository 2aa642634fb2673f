using Microsoft.Extensions.Options;
using Platform.Infrastructure.Alerting.Channels;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace Platform.Infrastructure.Alerting.Notifications;

/// <summary>The result of one delivery attempt; <see cref="RetryAfter"/> is set while the channel's breaker is open.</summary>
public sealed record AlertDeliveryResult(bool Delivered, string? Failure, TimeSpan? RetryAfter = null)
{
    public static readonly AlertDeliveryResult Success = new(true, null);
}

/// <summary>
/// Every channel behind its own timeout and circuit breaker (one Polly pipeline per channel id, per process), so a
/// slow or dead receiver fails fast and never holds up the others. Retries are not here: a failed delivery goes back
/// to the <c>alerts.notify</c> queue, which survives restarts.
/// </summary>
public sealed class AlertChannelDelivery(AlertChannelSenders senders, IOptions<AlertingOptions> options, TimeProvider time) : IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    public async Task<AlertDeliveryResult> DeliverAsync(AlertChannel channel, AlertNotice notice, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetOrAddPipeline(channel.Id, (builder, _) => Configure(builder));
        try
        {
            await pipeline.ExecuteAsync(async token => await senders.SendAsync(channel, notice, token), cancellationToken);
            return AlertDeliveryResult.Success;
        }
        catch (BrokenCircuitException e)
        {
            return new AlertDeliveryResult(false, "The channel's circuit is open after repeated failures.", e.RetryAfter ?? options.Value.ChannelBreakerBreak);
        }
        catch (TimeoutRejectedException)
        {
            return new AlertDeliveryResult(false, $"No answer within {options.Value.ChannelTimeoutSeconds} s.");
        }
        catch (Exception e) when (IsDeliveryFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            return new AlertDeliveryResult(false, e.Message);
        }
    }

    private void Configure(ResiliencePipelineBuilder builder)
    {
        var settings = options.Value;
        builder.TimeProvider = time;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsDeliveryFailure),
            FailureRatio = 1.0,
            MinimumThroughput = settings.ChannelBreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(settings.ChannelBreakerSamplingSeconds),
            BreakDuration = settings.ChannelBreakerBreak,
        });
        builder.AddTimeout(TimeSpan.FromSeconds(settings.ChannelTimeoutSeconds));
    }

    private static bool IsDeliveryFailure(Exception e) =>
        e is AlertDeliveryException or HttpRequestException or TimeoutRejectedException or TaskCanceledException or UriFormatException;

    public ValueTask DisposeAsync() => _pipelines.DisposeAsync();
}
