using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Infrastructure.Catalog.Reservations;

public enum HoldStatus { Placed, NotFound, NotAvailable, NotSupported, SupplierUnavailable }

public sealed record HoldView(Guid Id, Guid DiamondId, string SupplierHoldId, DateTimeOffset? HoldUntil, DateTimeOffset CreatedAt);

public sealed record HoldResult(HoldStatus Status, HoldView? Hold = null, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>
/// Holds a stone at its supplier through the feed's adapter (rate limit, circuit breaker; no blind retries), then
/// records the hold and marks the stone <c>on_hold</c> in one transaction. The supplier decides: our catalog's
/// availability only spares it calls that could not succeed.
/// </summary>
public sealed partial class HoldService(
    NpgsqlDataSource dataSource, IFeedAdapterFactory adapters, DatasetVersions versions, TimeProvider time, ILogger<HoldService> logger)
{
    public async Task<HoldResult> PlaceAsync(Guid orgId, Guid diamondId, string actor, CancellationToken cancellationToken)
    {
        var diamond = await ReservableDiamond.FindAsync(dataSource, orgId, diamondId, cancellationToken);
        if (diamond is null)
        {
            return new HoldResult(HoldStatus.NotFound);
        }
        if (diamond.Availability != "available")
        {
            ReservationTelemetry.Hold("denied");
            return new HoldResult(HoldStatus.NotAvailable, Detail: $"The diamond is {diamond.Availability.Replace('_', ' ')}.");
        }
        if (adapters.Create(diamond.Feed) is not IFeedReservations supplier)
        {
            return new HoldResult(HoldStatus.NotSupported, Detail: $"Feeds of kind '{diamond.Feed.Adapter}' do not take holds through Platform.");
        }

        ReservationOutcome<SupplierHold> outcome;
        try
        {
            outcome = await supplier.PlaceHoldAsync(diamond.Stone, cancellationToken);
        }
        catch (Exception failure) when (SupplierRetryAfter.IsSupplierFailure(failure))
        {
            LogSupplierFailed(diamond.Feed.Id, diamond.Id, failure.GetType().Name, failure.Message);
            ReservationTelemetry.Hold("error");
            return new HoldResult(HoldStatus.SupplierUnavailable, Detail: "The supplier did not answer; the hold was not confirmed.",
                RetryAfter: SupplierRetryAfter.Of(failure));
        }
        if (outcome.Value is not { } placed)
        {
            ReservationTelemetry.Hold("denied");
            return new HoldResult(HoldStatus.NotAvailable, Detail: outcome.RefusalReason);
        }

        var hold = new HoldView(Guid.CreateVersion7(), diamond.Id, placed.HoldId, placed.HoldUntil, time.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO holds (id, org_id, diamond_id, feed_id, supplier_hold_id, hold_until, created_by, created_at)
            VALUES (@Id, @orgId, @DiamondId, @feedId, @SupplierHoldId, @HoldUntil, @actor, @CreatedAt)
            """, new { hold.Id, orgId, hold.DiamondId, feedId = diamond.Feed.Id, hold.SupplierHoldId, hold.HoldUntil, actor, hold.CreatedAt },
            transaction, cancellationToken: cancellationToken));
        await ReservableDiamond.MarkAsync(connection, transaction, orgId, diamond.Feed.Id, diamond.Id, "on_hold", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        versions.Forget(orgId);
        ReservationTelemetry.Hold("ok");
        return new HoldResult(HoldStatus.Placed, hold);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hold of diamond {DiamondId} on feed {FeedId}: the supplier call failed ({FailureType}: {Reason})")]
    private partial void LogSupplierFailed(Guid feedId, Guid diamondId, string failureType, string reason);
}
