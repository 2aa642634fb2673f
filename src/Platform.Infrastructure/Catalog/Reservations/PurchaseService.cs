using System.Text.Json;
using Platform.Domain.Catalog.Reservations;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Infrastructure.Catalog.Reservations;

public enum PurchaseStatus { Confirmed, Rejected, NotFound, KeyReused, InProgress, NotSupported, SupplierUnavailable }

public sealed record PurchaseView(Guid Id, Guid DiamondId, string Status, string SupplierOrderId, string? Reference, DateTimeOffset CreatedAt);

/// <summary>
/// The outcome of a purchase request. <see cref="Replayed"/> marks an answer read back from an earlier request with
/// the same Idempotency-Key; confirmed and rejected answers are stored and replayed, the others are not.
/// </summary>
public sealed record PurchaseResult(PurchaseStatus Status, PurchaseView? Purchase = null, string? Detail = null, TimeSpan? RetryAfter = null, bool Replayed = false);

/// <summary>
/// Buys a stone exactly once per Idempotency-Key (PLATFORM §6). The key is claimed first by inserting a
/// <c>pending</c> row (unique per organization), so concurrent requests with one key cannot both reach the supplier;
/// the supplier's answer is then stored with the stone marked <c>sold</c> in one transaction and replayed to every
/// later request with that key and the same body. A different body under a used key is refused (422).
/// If the supplier cannot be asked, the claim is withdrawn so the client can retry with the same key; the supplier
/// sells a stone only once, so even a retry after an order that did go through cannot buy it twice.
/// </summary>
public sealed partial class PurchaseService(
    NpgsqlDataSource dataSource, IFeedAdapterFactory adapters, DatasetVersions versions, TimeProvider time, ILogger<PurchaseService> logger)
{
    public async Task<PurchaseResult> PurchaseAsync(Guid orgId, PurchaseRequest request, string actor, CancellationToken cancellationToken)
    {
        var fingerprint = request.Fingerprint();
        if (await FindStoredAsync(orgId, request.IdempotencyKey, fingerprint, cancellationToken) is { } stored)
        {
            return stored;
        }
        var diamond = await ReservableDiamond.FindAsync(dataSource, orgId, request.DiamondId, cancellationToken);
        if (diamond is null)
        {
            return new PurchaseResult(PurchaseStatus.NotFound);
        }
        if (adapters.Create(diamond.Feed) is not IFeedReservations supplier)
        {
            return new PurchaseResult(PurchaseStatus.NotSupported, Detail: $"Feeds of kind '{diamond.Feed.Adapter}' do not take orders through Platform.");
        }

        var purchaseId = Guid.CreateVersion7();
        var createdAt = time.GetUtcNow();
        if (!await ClaimAsync(orgId, purchaseId, request, fingerprint, actor, createdAt, cancellationToken))
        {
            // Another request with this key claimed it between our look-up and our insert.
            return await FindStoredAsync(orgId, request.IdempotencyKey, fingerprint, cancellationToken)
                ?? new PurchaseResult(PurchaseStatus.InProgress, RetryAfter: TimeSpan.FromSeconds(1));
        }
        if (diamond.Availability is "sold" or "unavailable")
        {
            return await RejectAsync(orgId, purchaseId, $"The diamond is {diamond.Availability}.", cancellationToken);
        }

        ReservationOutcome<SupplierOrder> outcome;
        try
        {
            outcome = await supplier.PlaceOrderAsync(diamond.Stone, purchaseId.ToString(), cancellationToken);
        }
        catch (Exception failure) when (SupplierRetryAfter.IsSupplierFailure(failure))
        {
            LogSupplierFailed(diamond.Feed.Id, purchaseId, failure.GetType().Name, failure.Message);
            await WithdrawAsync(orgId, purchaseId, CancellationToken.None);
            ReservationTelemetry.Purchase("error");
            return new PurchaseResult(PurchaseStatus.SupplierUnavailable, Detail: "The supplier did not answer; nothing was bought. Retry with the same Idempotency-Key.",
                RetryAfter: SupplierRetryAfter.Of(failure));
        }
        catch
        {
            await WithdrawAsync(orgId, purchaseId, CancellationToken.None);
            throw;
        }
        if (outcome.Value is not { } order)
        {
            return await RejectAsync(orgId, purchaseId, outcome.RefusalReason ?? "The supplier refused the order.", cancellationToken);
        }

        var purchase = new PurchaseView(purchaseId, diamond.Id, "confirmed", order.OrderId, request.Reference, createdAt);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CompleteAsync(connection, transaction, orgId, purchaseId, "confirmed", 201, JsonSerializer.Serialize(purchase, Json), order.OrderId, cancellationToken);
        await ReservableDiamond.MarkAsync(connection, transaction, orgId, diamond.Feed.Id, diamond.Id, "sold", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        versions.Forget(orgId);
        ReservationTelemetry.Purchase("confirmed");
        return new PurchaseResult(PurchaseStatus.Confirmed, purchase);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<PurchaseResult?> FindStoredAsync(Guid orgId, string key, byte[] fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition("""
            SELECT request_hash AS "RequestHash", status AS "Status", response_body::text AS "ResponseBody"
            FROM purchases WHERE org_id = @orgId AND idempotency_key = @key
            """, new { orgId, key }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }
        if (!row.RequestHash.AsSpan().SequenceEqual(fingerprint))
        {
            return new PurchaseResult(PurchaseStatus.KeyReused);
        }
        if (row.Status == "pending")
        {
            return new PurchaseResult(PurchaseStatus.InProgress, RetryAfter: TimeSpan.FromSeconds(1));
        }
        ReservationTelemetry.Purchase("replayed");
        return row.Status == "confirmed"
            ? new PurchaseResult(PurchaseStatus.Confirmed, JsonSerializer.Deserialize<PurchaseView>(row.ResponseBody!, Json), Replayed: true)
            : new PurchaseResult(PurchaseStatus.Rejected, Detail: JsonSerializer.Deserialize<RejectedBody>(row.ResponseBody!, Json)!.Detail, Replayed: true);
    }

    private async Task<bool> ClaimAsync(Guid orgId, Guid purchaseId, PurchaseRequest request, byte[] fingerprint, string actor, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO purchases (id, org_id, diamond_id, idempotency_key, request_hash, status, reference, created_by, created_at)
            VALUES (@purchaseId, @orgId, @DiamondId, @IdempotencyKey, @fingerprint, 'pending', @Reference, @actor, @createdAt)
            ON CONFLICT (org_id, idempotency_key) DO NOTHING
            """, new { purchaseId, orgId, request.DiamondId, request.IdempotencyKey, fingerprint, request.Reference, actor, createdAt },
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task<PurchaseResult> RejectAsync(Guid orgId, Guid purchaseId, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CompleteAsync(connection, transaction, orgId, purchaseId, "rejected", 409, JsonSerializer.Serialize(new RejectedBody(detail), Json), null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ReservationTelemetry.Purchase("rejected");
        return new PurchaseResult(PurchaseStatus.Rejected, Detail: detail);
    }

    private static Task<int> CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, Guid purchaseId, string status, int responseStatus, string body, string? orderId,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE purchases SET status = @status, response_status = @responseStatus, response_body = @body::jsonb,
                                 supplier_order_id = @orderId, completed_at = now()
            WHERE id = @purchaseId AND org_id = @orgId AND status = 'pending'
            """, new { orgId, purchaseId, status, responseStatus, body, orderId }, transaction, cancellationToken: cancellationToken));

    private async Task WithdrawAsync(Guid orgId, Guid purchaseId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM purchases WHERE id = @purchaseId AND org_id = @orgId AND status = 'pending'",
            new { orgId, purchaseId }, cancellationToken: cancellationToken));
    }

    private sealed record RejectedBody(string Detail);

    private sealed class StoredRow
    {
        public byte[] RequestHash { get; init; } = [];
        public string Status { get; init; } = "";
        public string? ResponseBody { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purchase {PurchaseId} on feed {FeedId}: the supplier call failed ({FailureType}: {Reason}); the claim was withdrawn")]
    private partial void LogSupplierFailed(Guid feedId, Guid purchaseId, string failureType, string reason);
}
