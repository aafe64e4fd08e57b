namespace Granary.Streaming.Sources;

/// <summary>
/// Handles one batch of messages. The consumer acknowledges the batch only once the returned task completes; when it
/// throws, nothing of the batch is acknowledged and the source delivers it again (to this consumer after a restart,
/// or to another one of the group). The list is the consumer's: read it before returning, do not keep it.
/// </summary>
internal delegate ValueTask SourceBatchHandler(IReadOnlyList<SourceMessage> batch, CancellationToken cancellationToken);
