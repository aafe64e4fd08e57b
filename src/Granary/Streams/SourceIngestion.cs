using Granary.Offline;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Granary.Streaming.Sources;
using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>
/// The batch handler of one source's consumer: decodes each message for every view over the source (a message
/// malformed for any of them is dead-lettered, so every view and the log see the same events), drops the events failing
/// an error validation rule of any view (<see cref="StreamEventValidation"/>), then runs
/// <see cref="JudgedIngest"/>: lateness, the accepted events logged to the batch source through the offline engine's
/// <see cref="IPushLog"/>, the aggregates applied. Only then does the consumer acknowledge the batch.
/// </summary>
/// <remarks>
/// The work on a batch ignores the shutdown token: once decoding started, the batch is finished (logged and applied)
/// and acknowledged, so a stop never leaves one half-applied; a crash does, and redelivery completes it.
/// </remarks>
internal sealed class SourceIngestion
{
    private readonly StreamFeed _feed;
    private readonly StreamIngestor _ingestor;
    private readonly IPushLog _log;
    private readonly string _repositoryRoot;
    private readonly ILogger _logger;
    private readonly StreamEventDecoder[] _decoders;
    private readonly List<StreamEvent>[] _events;
    private long _applied;
    private long _duplicates;
    private long _late;
    private long _deadLettered;
    private long _invalid;
    private readonly StreamEventValidation? _validation;

    public SourceIngestion(StreamFeed feed, IOnlineStore online, IPushLog log, string repositoryRoot, TimeProvider time, StreamIngestMetrics metrics, ILogger logger)
    {
        _feed = feed;
        _log = log;
        _repositoryRoot = repositoryRoot;
        _logger = logger;
        var targets = new StreamViewTarget[feed.Views.Count];
        _decoders = new StreamEventDecoder[targets.Length];
        _events = new List<StreamEvent>[targets.Length];
        for (var v = 0; v < targets.Length; v++)
        {
            targets[v] = feed.Views[v].Stream!.Target;
            _decoders[v] = new StreamEventDecoder(feed.Shapes[v]);
            _events[v] = [];
        }

        _ingestor = new StreamIngestor(StreamFeatureReader.States(online, targets[0].View), feed.Source.Name, targets, time, metrics);
        _validation = StreamEventValidation.For(feed.Source.Name, feed.Views, metrics, logger);
    }

    public string SourceName => _feed.Source.Name;

    /// <summary>What the handler did so far.</summary>
    public StreamSourceCounts Counts => new(
        _feed.Source.Name, Interlocked.Read(ref _applied), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _late), Interlocked.Read(ref _deadLettered))
    {
        Invalid = Interlocked.Read(ref _invalid),
    };

    /// <summary>The handler to give the consumer's <see cref="IStreamConsumer.RunAsync"/>.</summary>
    public async ValueTask HandleAsync(IReadOnlyList<SourceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var events in _events)
        {
            events.Clear();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Decode(batch[i]);
        }

        if (_validation is not null && _events[0].Count > 0)
        {
            Interlocked.Add(ref _invalid, _validation.DropInvalid(_events));
        }

        if (_events[0].Count == 0)
        {
            return;
        }

        var result = await JudgedIngest.RunAsync(_ingestor, _events, LogAcceptedAsync, CancellationToken.None);
        Interlocked.Add(ref _applied, result.Applied);
        Interlocked.Add(ref _duplicates, result.Duplicates);
        Interlocked.Add(ref _late, result.LateRows);
    }

    private void Decode(in SourceMessage message)
    {
        for (var v = 0; v < _decoders.Length; v++)
        {
            if (!_decoders[v].TryDecode(message, out var decoded, out var malformed))
            {
                for (var done = 0; done < v; done++)
                {
                    _events[done].RemoveAt(_events[done].Count - 1);
                }

                Interlocked.Increment(ref _deadLettered);
                SourceLog.Malformed(_logger, _feed.Source.Name, message.Id, malformed.Field, malformed.Reason);
                return;
            }

            _events[v].Add(decoded);
        }
    }

    private Task LogAcceptedAsync(LatenessVerdict verdict)
    {
        var accepted = verdict.Late.Length - verdict.LateRows;
        return accepted == 0
            ? Task.CompletedTask
            : _log.AppendAsync(_feed.Log, _repositoryRoot, StreamEventRows.Columns(_feed, _events, verdict.Late, accepted), accepted, CancellationToken.None);
    }
}
