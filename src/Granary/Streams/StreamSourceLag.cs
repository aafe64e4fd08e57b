namespace Granary.Streams;

/// <summary>How far the consumers of one stream source are behind it, as <c>granary stream status</c> prints it.</summary>
/// <param name="Source">The source's name in the definitions.</param>
/// <param name="SourceType"><c>redis_stream</c> or <c>nats</c>.</param>
/// <param name="Undelivered">
/// Messages the group (Redis) or durable (NATS) has not been given yet; null when the source cannot say (Redis
/// after entries were deleted from the middle of the stream).
/// </param>
/// <param name="Unacknowledged">Messages delivered to a consumer and not yet acknowledged: in a batch being applied, or held by a consumer that died.</param>
public sealed record StreamSourceLag(string Source, string SourceType, long? Undelivered, long Unacknowledged);
