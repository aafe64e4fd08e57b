using System.Globalization;
using Granary.Core.Model;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Granary.Streaming.Sources;

/// <summary>
/// Consumes a NATS JetStream stream through the source's durable pull consumer, created (or updated) with explicit
/// acknowledgement, the source's subject filter, delivery from the stream's start, and
/// <see cref="StreamConsumerOptions.RedeliverAfter"/> as its <c>ack_wait</c>: a message not acknowledged in time
/// (its consumer died, or lost its server) is delivered again, to whichever process of the durable pulls next. Each
/// message of a batch is acknowledged after the handler completed.
/// </summary>
/// <remarks>
/// A batch is the messages the server has at once (a no-wait fetch); when it has none, the consumer waits for the
/// next one on the server (up to <see cref="StreamConsumerOptions.PollInterval"/>, at least the client's one-second
/// minimum), so a quiet stream costs one request per wait and a new message is handed over as soon as it arrives.
/// In a cluster the connection names every server; losing one, or a leader election, fails a request or two, which
/// are retried after <see cref="StreamConsumerOptions.RetryDelay"/>.
/// </remarks>
internal sealed class NatsStreamConsumer : IStreamConsumer
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromSeconds(1);

    private readonly NatsSource _source;
    private readonly INatsConnection _connection;
    private readonly bool _ownsConnection;
    private readonly NatsJSContext _jetStream;
    private readonly StreamConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly List<INatsJSMsg<byte[]>> _messages = [];
    private readonly List<SourceMessage> _batch = [];

    /// <summary>A consumer on <paramref name="connection"/>, which it disposes only when <paramref name="ownsConnection"/>.</summary>
    public NatsStreamConsumer(NatsSource source, INatsConnection connection, bool ownsConnection, StreamConsumerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _source = source;
        _connection = connection;
        _ownsConnection = ownsConnection;
        _jetStream = new NatsJSContext(connection);
        _options = options;
        _logger = logger;
    }

    public string SourceName => _source.Name;

    /// <summary>A consumer with its own connection to the source's <see cref="NatsSource.Url"/> (one or more servers, comma-separated).</summary>
    public static NatsStreamConsumer Connect(NatsSource source, StreamConsumerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        var connection = new NatsConnection(new NatsOpts { Url = source.Url, Name = $"granary-{source.Name}" });
        return new NatsStreamConsumer(source, connection, ownsConnection: true, options, logger);
    }

    public async Task RunAsync(SourceBatchHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        SourceLog.NatsStarted(_logger, _source.Name, _source.Stream, _source.Subject, _source.Durable);
        INatsJSConsumer? consumer = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    consumer ??= await OpenAsync(cancellationToken);
                    await FetchAsync(consumer, cancellationToken);
                }
                catch (Exception e) when (IsSourceFailure(e, cancellationToken))
                {
                    // The consumer may have moved to another server or been deleted: look it up again after the wait.
                    consumer = null;
                    _messages.Clear();
                    SourceLog.ReadFailed(_logger, _source.Name, _options.RetryDelay, e);
                    await Task.Delay(_options.RetryDelay, _options.Time, cancellationToken);
                    continue;
                }

                if (_messages.Count > 0)
                {
                    await HandleAsync(handler, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: unacknowledged messages are redelivered after ack_wait.
        }

        SourceLog.Stopped(_logger, _source.Name);
    }

    public async Task<SourceLag> GetLagAsync(CancellationToken cancellationToken)
    {
        try
        {
            var consumer = await _jetStream.GetConsumerAsync(_source.Stream, _source.Durable, cancellationToken);
            return new SourceLag(_source.Name, (long)consumer.Info.NumPending, consumer.Info.NumAckPending);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            // No durable yet: it will start at the stream's beginning, so every message is still to be delivered.
            var stream = await _jetStream.GetStreamAsync(_source.Stream, cancellationToken: cancellationToken);
            return new SourceLag(_source.Name, (long)stream.Info.State.Messages, 0);
        }
    }

    /// <summary>
    /// Deletes the durable and creates it again delivering by start time (a durable's deliver policy cannot be
    /// updated in place): its acknowledgements are gone, so every message from <paramref name="from"/> on is pending.
    /// A consumer running meanwhile loses its durable, looks it up again after its retry delay and goes on from the
    /// new position.
    /// </summary>
    public async Task<long?> ResetAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        try
        {
            await _jetStream.DeleteConsumerAsync(_source.Stream, _source.Durable, cancellationToken);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            // Never consumed yet: created below at the new position.
        }

        var config = ConsumerConfig();
        config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartTime;
        config.OptStartTime = from.ToUniversalTime();
        var consumer = await _jetStream.CreateOrUpdateConsumerAsync(_source.Stream, config, cancellationToken);
        return (long)consumer.Info.NumPending;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }

    private static bool IsSourceFailure(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is NatsException or TimeoutException or OperationCanceledException;

    private ConsumerConfig ConsumerConfig() => new(_source.Durable)
    {
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = _options.RedeliverAfter,
        DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        FilterSubject = _source.Subject,
        MaxAckPending = Math.Max(1000, _options.BatchSize * 4),
    };

    /// <summary>
    /// The durable, updated to this consumer's settings but keeping where it delivers from (a reset's start time),
    /// which the server refuses to change on an existing durable; created from the stream's start when missing.
    /// </summary>
    private async Task<INatsJSConsumer> OpenAsync(CancellationToken cancellationToken)
    {
        var config = ConsumerConfig();
        try
        {
            var existing = await _jetStream.GetConsumerAsync(_source.Stream, _source.Durable, cancellationToken);
            config.DeliverPolicy = existing.Info.Config.DeliverPolicy;
            config.OptStartTime = existing.Info.Config.OptStartTime;
            config.OptStartSeq = existing.Info.Config.OptStartSeq;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            // A new durable: from the stream's start, so a new view reads the stream's whole history.
        }

        return await _jetStream.CreateOrUpdateConsumerAsync(_source.Stream, config, cancellationToken);
    }

    private async Task FetchAsync(INatsJSConsumer consumer, CancellationToken cancellationToken)
    {
        _messages.Clear();
        await foreach (var message in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = _options.BatchSize }, cancellationToken: cancellationToken))
        {
            _messages.Add(message);
        }

        if (_messages.Count > 0)
        {
            return;
        }

        var wait = _options.PollInterval > ShortestWait ? _options.PollInterval : ShortestWait;
        if (await consumer.NextAsync<byte[]>(opts: new NatsJSNextOpts { Expires = wait }, cancellationToken: cancellationToken) is { } first)
        {
            _messages.Add(first);
        }
    }

    private async Task HandleAsync(SourceBatchHandler handler, CancellationToken cancellationToken)
    {
        _batch.Clear();
        foreach (var message in _messages)
        {
            var metadata = message.Metadata;
            var id = metadata is { } m ? m.Sequence.Stream.ToString(CultureInfo.InvariantCulture) : message.ReplyTo ?? "";
            _batch.Add(new SourceMessage(id, [], message.Data ?? [], metadata is { NumDelivered: > 1 }));
        }

        await handler(_batch, cancellationToken);

        // A batch the handler finished is acknowledged even when shutdown was asked meanwhile: redelivering it would
        // only make the next run skip it again by its ids (and log it offline twice without an event_id_field).
        foreach (var message in _messages)
        {
            try
            {
                await message.AckAsync(cancellationToken: CancellationToken.None);
            }
            catch (Exception e) when (IsSourceFailure(e, CancellationToken.None))
            {
                // The message comes back after ack_wait: at least once, never lost.
                SourceLog.ReadFailed(_logger, _source.Name, _options.RetryDelay, e);
            }
        }

        _messages.Clear();
    }
}
