using Granary.Core.Model;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Granary.Streaming.Sources;

/// <summary>
/// Consumes a Redis stream through a consumer group. The group is created at the stream's start (<c>XGROUP CREATE
/// ... 0 MKSTREAM</c>) when missing, so a new view reads the stream's whole history. On start the consumer first
/// reads back its own pending entries (<c>XREADGROUP ... 0</c>: delivered to this name before a crash, never
/// acknowledged), then new ones (<c>&gt;</c>), and every <see cref="StreamConsumerOptions.ClaimInterval"/> takes
/// over entries that other consumers left pending for longer than <see cref="StreamConsumerOptions.RedeliverAfter"/>
/// (<c>XAUTOCLAIM</c>): a consumer that died under another name. Each batch is acknowledged (<c>XACK</c>) after the
/// handler completed.
/// </summary>
/// <remarks>
/// StackExchange.Redis multiplexes one connection, so a blocking <c>XREADGROUP ... BLOCK</c> would stall every other
/// command on it; an empty read is followed instead by a wait that doubles from 1 ms up to
/// <see cref="StreamConsumerOptions.PollInterval"/>, and a busy stream is read without waiting.
/// </remarks>
internal sealed class RedisStreamConsumer : IStreamConsumer
{
    private static readonly TimeSpan FirstIdleWait = TimeSpan.FromMilliseconds(1);

    // Entries counted per XRANGE while a reset counts what it redelivers.
    private const int ResetPage = 1000;

    private readonly RedisStreamSource _source;
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly StreamConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly List<SourceMessage> _batch = [];
    private readonly List<RedisValue> _ids = [];

    /// <summary>A consumer on <paramref name="redis"/>, which it disposes only when <paramref name="ownsConnection"/>.</summary>
    public RedisStreamConsumer(RedisStreamSource source, IConnectionMultiplexer redis, bool ownsConnection, StreamConsumerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _source = source;
        _redis = redis;
        _ownsConnection = ownsConnection;
        _options = options;
        _logger = logger;
    }

    public string SourceName => _source.Name;

    /// <summary>Connects to the source's <see cref="RedisStreamSource.Connection"/>; the consumer owns the connection.</summary>
    public static async Task<RedisStreamConsumer> ConnectAsync(RedisStreamSource source, StreamConsumerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        var configuration = ConfigurationOptions.Parse(source.Connection);

        // A consumer outlives a Redis restart: keep retrying in the background rather than failing the first connect.
        configuration.AbortOnConnectFail = false;
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        return new RedisStreamConsumer(source, redis, ownsConnection: true, options, logger);
    }

    public async Task RunAsync(SourceBatchHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var db = _redis.GetDatabase();
        var time = _options.Time;
        var groupReady = false;
        RedisValue ownPendingFrom = "0";
        var readingOwnPending = true;
        RedisValue claimFrom = "0-0";
        var nextClaim = time.GetTimestamp();
        var idleWait = TimeSpan.Zero;
        SourceLog.RedisStarted(_logger, _source.Name, _source.Stream, _source.Group, _options.ConsumerName);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                StreamEntry[] entries;
                bool redelivered;
                try
                {
                    if (!groupReady)
                    {
                        await EnsureGroupAsync(db);
                        groupReady = true;
                    }

                    if (readingOwnPending)
                    {
                        // This name's pending entries, oldest first; the position moves past each batch read.
                        entries = await db.StreamReadGroupAsync(_source.Stream, _source.Group, _options.ConsumerName, ownPendingFrom, _options.BatchSize);
                        redelivered = true;
                        readingOwnPending = entries.Length > 0;
                        if (readingOwnPending)
                        {
                            ownPendingFrom = entries[^1].Id;
                        }
                    }
                    else if (time.GetTimestamp() >= nextClaim)
                    {
                        var claimed = await db.StreamAutoClaimAsync(
                            _source.Stream, _source.Group, _options.ConsumerName, (long)_options.RedeliverAfter.TotalMilliseconds, claimFrom, _options.BatchSize);
                        entries = claimed.ClaimedEntries;
                        redelivered = true;

                        // A full pass over the pending list ends at 0-0; until then the next claim continues where this one stopped.
                        claimFrom = claimed.NextStartId;
                        if (claimFrom == "0-0")
                        {
                            nextClaim = time.GetTimestamp() + (long)(_options.ClaimInterval.TotalSeconds * time.TimestampFrequency);
                        }

                        if (entries.Length > 0)
                        {
                            SourceLog.Claimed(_logger, _source.Name, entries.Length, _options.RedeliverAfter);
                        }
                    }
                    else
                    {
                        entries = await db.StreamReadGroupAsync(_source.Stream, _source.Group, _options.ConsumerName, StreamPosition.NewMessages, _options.BatchSize);
                        redelivered = false;
                    }
                }
                catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    // The stream or the group was deleted under us (a reset): create them again, from the start.
                    groupReady = false;
                    SourceLog.ReadFailed(_logger, _source.Name, _options.RetryDelay, e);
                    await Task.Delay(_options.RetryDelay, time, cancellationToken);
                    continue;
                }
                catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
                {
                    SourceLog.ReadFailed(_logger, _source.Name, _options.RetryDelay, e);
                    await Task.Delay(_options.RetryDelay, time, cancellationToken);
                    continue;
                }

                if (entries.Length == 0)
                {
                    if (!readingOwnPending)
                    {
                        idleWait = idleWait == TimeSpan.Zero ? FirstIdleWait : TimeSpan.FromTicks(Math.Min(idleWait.Ticks * 2, _options.PollInterval.Ticks));
                        await Task.Delay(idleWait, time, cancellationToken);
                    }

                    continue;
                }

                idleWait = TimeSpan.Zero;
                await HandleAsync(db, entries, redelivered, handler, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: the batch in hand, if any, stays pending and comes back on the next start.
        }

        SourceLog.Stopped(_logger, _source.Name);
    }

    public async Task<SourceLag> GetLagAsync(CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        if (!await db.KeyExistsAsync(_source.Stream))
        {
            return new SourceLag(_source.Name, 0, 0);
        }

        foreach (var group in await db.StreamGroupInfoAsync(_source.Stream))
        {
            if (group.Name == _source.Group)
            {
                return new SourceLag(_source.Name, group.Lag, group.PendingMessageCount);
            }
        }

        // No group yet: it will start at the stream's beginning, so every entry is still to be delivered.
        return new SourceLag(_source.Name, await db.StreamLengthAsync(_source.Stream), 0);
    }

    /// <summary>
    /// <c>XGROUP SETID</c> to just before the first entry id of <paramref name="from"/>'s millisecond, with
    /// <c>ENTRIESREAD</c> set from the entries counted after it, so that the group's lag stays known (Redis 7).
    /// Entries still pending stay pending: they are read again by their consumer, as after a crash.
    /// </summary>
    public async Task<long?> ResetAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        await EnsureGroupAsync(db);
        var millis = Math.Max(0, from.ToUnixTimeMilliseconds());
        long again = 0;
        RedisValue start = $"{millis}-0";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await db.StreamRangeAsync(_source.Stream, start, "+", ResetPage);
            again += page.Length;
            if (page.Length < ResetPage)
            {
                break;
            }

            // An exclusive start ('(' + id) continues after the page's last entry.
            start = "(" + page[^1].Id;
        }

        var length = await db.StreamLengthAsync(_source.Stream);
        var lastDelivered = millis == 0 ? "0-0" : $"{millis - 1}-{ulong.MaxValue}";
        await db.ExecuteAsync("XGROUP", "SETID", _source.Stream, _source.Group, lastDelivered, "ENTRIESREAD", Math.Max(0, length - again));
        return again;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task HandleAsync(IDatabase db, StreamEntry[] entries, bool redelivered, SourceBatchHandler handler, CancellationToken cancellationToken)
    {
        _batch.Clear();
        _ids.Clear();
        foreach (var entry in entries)
        {
            _ids.Add(entry.Id);
            if (entry.Values.Length == 0)
            {
                // A pending entry deleted from the stream (XDEL, trimming) is read back as an id without fields.
                SourceLog.Deleted(_logger, _source.Name, entry.Id.ToString());
                continue;
            }

            var fields = new KeyValuePair<string, string>[entry.Values.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = new(entry.Values[i].Name.ToString(), entry.Values[i].Value.ToString());
            }

            _batch.Add(new SourceMessage(entry.Id.ToString(), fields, ReadOnlyMemory<byte>.Empty, redelivered));
        }

        if (_batch.Count > 0)
        {
            await handler(_batch, cancellationToken);
        }

        await AcknowledgeAsync(db, cancellationToken);
    }

    // An acknowledgement lost to a broken connection is retried; if the process dies first, the batch is redelivered.
    private async Task AcknowledgeAsync(IDatabase db, CancellationToken cancellationToken)
    {
        var ids = _ids.ToArray();
        while (true)
        {
            try
            {
                await db.StreamAcknowledgeAsync(_source.Stream, _source.Group, ids);
                return;
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                SourceLog.ReadFailed(_logger, _source.Name, _options.RetryDelay, e);
                await Task.Delay(_options.RetryDelay, _options.Time, cancellationToken);
            }
        }
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(_source.Stream, _source.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another consumer, or an earlier run, created it: that is the usual case.
        }
    }
}
