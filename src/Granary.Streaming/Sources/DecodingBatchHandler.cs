using Granary.Streaming.Events;
using Microsoft.Extensions.Logging;

namespace Granary.Streaming.Sources;

/// <summary>
/// Sits between a consumer and the ingestor: decodes each message of a batch and passes the events on. A malformed
/// message is dead-lettered: logged with its source id and the field at fault, counted in <see cref="DeadLettered"/>,
/// and acknowledged with its batch without being applied. Redelivering it would fail the same way for ever and hold
/// up every message behind it; the log line and the count are where an operator finds it (the message itself stays
/// in the Redis stream or the NATS stream until the source's retention removes it).
/// </summary>
internal sealed class DecodingBatchHandler
{
    private readonly string _sourceName;
    private readonly StreamEventDecoder _decoder;
    private readonly StreamEventBatchHandler _next;
    private readonly ILogger _logger;
    private readonly List<StreamEvent> _events = [];
    private long _deadLettered;

    public DecodingBatchHandler(string sourceName, StreamEventDecoder decoder, StreamEventBatchHandler next, ILogger logger)
    {
        _sourceName = sourceName;
        _decoder = decoder;
        _next = next;
        _logger = logger;
    }

    /// <summary>Malformed messages dead-lettered since this handler was made.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>The handler to give the consumer's <see cref="IStreamConsumer.RunAsync"/>.</summary>
    public ValueTask HandleAsync(IReadOnlyList<SourceMessage> batch, CancellationToken cancellationToken)
    {
        _events.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (_decoder.TryDecode(message, out var decoded, out var malformed))
            {
                _events.Add(decoded);
            }
            else
            {
                Interlocked.Increment(ref _deadLettered);
                SourceLog.Malformed(_logger, _sourceName, message.Id, malformed.Field, malformed.Reason);
            }
        }

        return _events.Count == 0 ? ValueTask.CompletedTask : _next(_events, cancellationToken);
    }
}
