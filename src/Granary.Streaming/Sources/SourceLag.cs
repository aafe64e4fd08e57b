namespace Granary.Streaming.Sources;

/// <summary>How far a consumer is behind its source, for <c>granary stream status</c> and the server's metrics.</summary>
/// <param name="Source">The source's name in the definitions.</param>
/// <param name="Undelivered">
/// Messages in the source that the consumer (its group, or durable) has not been given yet: Redis' group <c>lag</c>,
/// NATS' <c>num_pending</c>. Null when the source cannot say (Redis after entries were deleted from the middle of
/// the stream).
/// </param>
/// <param name="Unacknowledged">Messages delivered but not acknowledged: Redis' group <c>pending</c>, NATS' <c>num_ack_pending</c>.</param>
internal readonly record struct SourceLag(string Source, long? Undelivered, long Unacknowledged)
{
    /// <summary>Everything not yet applied: undelivered and unacknowledged; null when undelivered is unknown.</summary>
    public long? Total => Undelivered + Unacknowledged;
}
