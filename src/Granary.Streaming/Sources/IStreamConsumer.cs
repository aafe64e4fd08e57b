namespace Granary.Streaming.Sources;

/// <summary>
/// Reads one stream source and hands its messages, in batches, to a handler; acknowledges a batch only after the
/// handler completed. Delivery is therefore at least once: a process that dies between handling and acknowledging
/// gets the batch again, so what the handler applies must be idempotent per message (the ingestor remembers event
/// ids, and a message without an <c>event_id_field</c> keeps its source id, see <see cref="StreamEventDecoder"/>).
/// </summary>
/// <remarks>
/// <para>
/// Implementations: <see cref="RedisStreamConsumer"/> (a consumer group) and <see cref="NatsStreamConsumer"/> (a
/// durable pull consumer). The interface is shaped so that a Kafka provider (Confluent.Kafka) fits without change:
/// </para>
/// <list type="bullet">
/// <item><see cref="RunAsync"/>: an <c>IConsumer&lt;byte[], byte[]&gt;</c> with <c>EnableAutoCommit = false</c> and
/// <c>EnableAutoOffsetStore = false</c> subscribed with the source's group id; <c>Consume</c> up to the batch size
/// or the poll interval, the handler, then <c>StoreOffset</c> and <c>Commit</c> of each partition's next offset.</item>
/// <item><see cref="SourceMessage.Id"/>: <c>topic/partition/offset</c>, unique and stable across redelivery;
/// <see cref="SourceMessage.Body"/> the value, a JSON object as for NATS.</item>
/// <item>Redelivery: a rebalance or restart resumes each partition at its last committed offset, so an uncommitted
/// batch is read again (no per-message ack; the batch's commit is the ack). A revoked partition's uncommitted
/// batch is abandoned in the partitions-revoked handler, never committed late.</item>
/// <item><see cref="GetLagAsync"/>: the sum over the assigned partitions of the high watermark less the committed
/// offset (<c>QueryWatermarkOffsets</c>, <c>Committed</c>) as undelivered; unacknowledged is the batch in hand.</item>
/// </list>
/// It ships once its tests can run against a real broker, as the Redis and NATS ones do.
/// </remarks>
internal interface IStreamConsumer : IAsyncDisposable
{
    /// <summary>The source's name in the definitions.</summary>
    string SourceName { get; }

    /// <summary>
    /// Consumes until <paramref name="cancellationToken"/> is cancelled, then returns; a batch in the handler at that
    /// moment is not acknowledged. Failures of the source (a lost connection, a cluster electing a leader) are logged
    /// and retried; a failure of the handler ends the run with the handler's exception, its batch unacknowledged.
    /// </summary>
    Task RunAsync(SourceBatchHandler handler, CancellationToken cancellationToken);

    /// <summary>The consumer's lag, asked of the source now.</summary>
    Task<SourceLag> GetLagAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Moves the group's (or durable's) position so that every message the source received at or after
    /// <paramref name="from"/> is delivered again, to whichever consumer of the group reads next; returns how many
    /// that is, or null when the source cannot say. The time is the source's own (a Redis entry id's milliseconds, a
    /// NATS message's stream timestamp), not the events' event times. Consumers running meanwhile keep the batches
    /// they hold; stop them first for a reset whose count is exact.
    /// </summary>
    Task<long?> ResetAsync(DateTimeOffset from, CancellationToken cancellationToken);
}
