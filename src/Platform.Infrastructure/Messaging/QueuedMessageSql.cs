namespace Platform.Infrastructure.Messaging;

/// <summary>
/// "Is a message of <c>@queue</c> with this id still on its way?" as an SQL predicate, for the maintenance safety
/// nets. Postgres answers exactly (the queue is a table). A broker cannot be searched by message id, so with
/// Service Bus a message counts as on its way while it waits in the outbox or has not landed in <c>dead_letters</c>:
/// only a dead-lettered message is known lost (ADR 0028).
/// </summary>
public static class QueuedMessageSql
{
    /// <param name="usesServiceBus">The configured transport.</param>
    /// <param name="idMatch">The condition on <c>q.message_id</c>, e.g. <c>= 'scan:' || r.id</c>.</param>
    public static string Exists(bool usesServiceBus, string idMatch) => usesServiceBus
        ? $"""
          (EXISTS (SELECT 1 FROM outbox_messages q WHERE q.queue = @queue AND q.message_id {idMatch})
           OR NOT EXISTS (SELECT 1 FROM dead_letters q WHERE q.queue = @queue AND q.message_id {idMatch} AND q.replayed_at IS NULL))
          """
        : $"EXISTS (SELECT 1 FROM queue_messages q WHERE q.queue = @queue AND q.message_id {idMatch})";
}
