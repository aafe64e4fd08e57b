using Granary.Streaming.Events;

namespace Granary.Streaming.Sources;

/// <summary>
/// Applies one batch of decoded events (the ingestor). As with <see cref="SourceBatchHandler"/>, the batch is
/// acknowledged only once the task completes; the list is reused afterwards, so read it before returning.
/// </summary>
internal delegate ValueTask StreamEventBatchHandler(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken);
