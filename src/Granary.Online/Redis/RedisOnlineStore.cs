using System.Net;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Online.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// The online store on Redis or Redis Cluster. Each (view, entity) is one Redis string holding the
/// <see cref="OnlineRecord"/> bytes, keyed so that every view of an entity shares a hash slot (see
/// <see cref="RedisKeyLayout"/>): the features of one entity are one MGET, and a batch of entities is one pipelined
/// round of MGETs, one per slot. Writes run a Lua script that applies last-write-wins inside Redis, so concurrent
/// writers from any number of processes agree.
/// </summary>
/// <remarks>
/// A write is acknowledged when Redis has applied it. Whether it then survives a Redis restart is Redis's own
/// persistence configuration (<c>appendonly</c>, <c>appendfsync</c>, <c>save</c>), which is the operator's choice: with
/// persistence off, a Redis restart empties the store and the next materialization fills it again.
/// Connection failures, timeouts and server errors surface as <see cref="GranaryException"/> with the code
/// <see cref="ErrorCodes.OnlineStoreUnavailable"/>; a malformed connection string or project as <see cref="ErrorCodes.InvalidConfig"/>.
/// </remarks>
internal sealed partial class RedisOnlineStore : IOnlineStore, IAggregateStateStore
{
    // Long enough to amortize a command's overhead, short enough that no single MGET or script stalls Redis.
    private const int MaxKeysPerCommand = 256;

    // How many writes of one call have their keys built and slot-ordered at a time: bounds the memory a huge call
    // needs beside its own list, and is large enough that a cluster still gets runs of several keys per slot.
    private const int WindowWrites = 65_536;

    private readonly ConfigurationOptions _options;
    private readonly RedisKeyLayout _layout;
    private readonly string _endpoints;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly int _maxBatchBytes;

    // One permit per pipelined batch sent and not yet answered, shared by every caller: the back-pressure.
    private readonly SemaphoreSlim _batchesInFlight;
    private readonly TaskCompletionSource _writesDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Write calls running; with _disposedFlag, the two sides of a Dekker handshake (both written by Interlocked), so that
    // disposal either sees a write that has begun and waits for it, or the write sees the disposal and refuses.
    private int _activeWrites;
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private Topology _topology;
    private long _batchesSent;
    private int _disposedFlag;

    /// <summary>Creates a store over the Redis named by <paramref name="connection"/>, keeping <paramref name="project"/>'s keys.</summary>
    /// <param name="connection">A StackExchange.Redis configuration string: one or more <c>host:port</c> endpoints and options. A cluster is detected on connect.</param>
    /// <param name="project">The project whose keys this store reads and writes; projects sharing a Redis never see each other's keys.</param>
    /// <param name="logger">Where the store reports connecting, failing to connect, and connections lost and restored; none by default.</param>
    public RedisOnlineStore(string connection, string project, ILogger? logger = null)
        : this(new RedisOnlineStoreOptions { Connection = connection }, project, logger)
    {
    }

    /// <summary>Creates a store with <paramref name="options"/> (connection and write batching), keeping <paramref name="project"/>'s keys.</summary>
    /// <param name="options">The connection string and how writes are batched.</param>
    /// <param name="project">The project whose keys this store reads and writes; projects sharing a Redis never see each other's keys.</param>
    /// <param name="logger">Where the store reports connecting, failing to connect, and connections lost and restored; none by default.</param>
    public RedisOnlineStore(RedisOnlineStoreOptions options, string project, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchBytes, 1, nameof(options.MaxBatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchesInFlight, 1, nameof(options.MaxBatchesInFlight));
        _logger = logger ?? NullLogger.Instance;
        _maxBatchBytes = options.MaxBatchBytes;
        _batchesInFlight = new SemaphoreSlim(options.MaxBatchesInFlight, options.MaxBatchesInFlight);
        _options = ParseOptions(options.Connection);
        _layout = new RedisKeyLayout(project);
        _endpoints = DescribeEndpoints(_options.EndPoints);
    }

    private enum Topology
    {
        Unknown,
        Single,
        Cluster,
    }

    /// <inheritdoc />
    public string Name => "redis";

    /// <summary>The key layout, for tests that inspect where records live.</summary>
    internal RedisKeyLayout Layout => _layout;

    /// <summary>Pipelined write batches sent so far, answered or not: for tests of the back-pressure.</summary>
    internal long BatchesSent => Interlocked.Read(ref _batchesSent);

    private bool IsDisposed => Volatile.Read(ref _disposedFlag) != 0;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_database is not null)
        {
            return;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_database is not null)
            {
                return;
            }

            ConnectionMultiplexer connection;
            try
            {
                connection = await ConnectionMultiplexer.ConnectAsync(_options).ConfigureAwait(false);
            }
            catch (Exception e) when (RedisErrors.IsAuthenticationFailure(e))
            {
                OnlineLog.RedisConnectFailed(_logger, _endpoints, e);
                throw RedisErrors.AuthenticationFailed(_endpoints, e);
            }
            catch (Exception e) when (RedisErrors.IsUnavailable(e))
            {
                OnlineLog.RedisConnectFailed(_logger, _endpoints, e);
                throw RedisErrors.Unavailable(_endpoints, "be connected to", e);
            }

            // The multiplexer reconnects by itself; these say when it had to, which a failing request alone does not.
            connection.ConnectionFailed += OnConnectionFailed;
            connection.ConnectionRestored += OnConnectionRestored;

            // _database is what the fast path checks, so it is published last, after everything it relies on.
            _connection = connection;
            DetectTopology(connection);
            _database = connection.GetDatabase();
            OnlineLog.RedisConnected(_logger, _endpoints, _topology switch
            {
                Topology.Cluster => "cluster",
                Topology.Single => "single server",
                _ => "topology not known yet",
            });
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The batch goes out in windows of <see cref="WindowWrites"/> writes, each ordered by hash slot on a cluster; a
    /// window's script calls (one slot, at most <see cref="MaxKeysPerCommand"/> keys each) are grouped into pipelined
    /// batches of at most <see cref="RedisOnlineStoreOptions.MaxBatchBytes"/> bytes of keys and records, and a batch is
    /// sent only while fewer than <see cref="RedisOnlineStoreOptions.MaxBatchesInFlight"/> batches of this store are
    /// unanswered. So memory and the server's backlog stay bounded whatever the batch's size, and the calls still
    /// overlap. Calls are sent in order on one connection per node, and Redis runs them in that order: two writes of
    /// one key, which share a slot and so a node, apply in list order even when they fall in different calls.
    /// </remarks>
    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckWrites(writes);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (writes.Count == 0)
        {
            return 0;
        }

        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _activeWrites);
        try
        {
            // After counting this write: a disposal that began in between is seen here, or waits for this write.
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return await WriteBatchesAsync(database, writes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _activeWrites) == 0 && IsDisposed)
            {
                _writesDrained.TrySetResult();
            }
        }
    }

    private async Task<int> WriteBatchesAsync(IDatabase database, IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken)
    {
        var cluster = ClusterOrNull();
        var sent = new List<Task<int>>();
        Exception? stopped = null;
        try
        {
            var keys = new RedisKey[Math.Min(WindowWrites, writes.Count)];
            var payloads = new int[keys.Length];
            List<Task<RedisResult>>? batch = null;
            var batchBytes = 0L;
            for (var offset = 0; offset < writes.Count; offset += WindowWrites)
            {
                var count = Math.Min(WindowWrites, writes.Count - offset);
                for (var i = 0; i < count; i++)
                {
                    var write = writes[offset + i];
                    var key = _layout.RecordKeyBytes(write.View, write.Entity);
                    keys[i] = key;
                    payloads[i] = key.Length + write.Record.Length;
                }

                using var runs = SlotRuns.Create(cluster, keys, count);
                for (var start = 0; start < runs.Count;)
                {
                    var end = runs.RunEnd(start, MaxKeysPerCommand);
                    var callBytes = 0L;
                    var cut = start;
                    // A call stops short of the byte bound (but carries at least one write), so a batch can honour it.
                    while (cut < end && (cut == start || callBytes + payloads[runs.IndexAt(cut)] <= _maxBatchBytes))
                    {
                        callBytes += payloads[runs.IndexAt(cut)];
                        cut++;
                    }

                    if (batch is not null && batchBytes + callBytes > _maxBatchBytes)
                    {
                        sent.Add(AnsweredAsync(batch));
                        batch = null;
                    }

                    if (batch is null)
                    {
                        // Back-pressure: wait until one of this store's batches is answered.
                        await _batchesInFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                        batch = [];
                        batchBytes = 0;
                        Interlocked.Increment(ref _batchesSent);
                    }

                    batch.Add(Send(database, keys, writes, offset, runs, start, cut));
                    batchBytes += callBytes;
                    start = cut;
                }
            }

            if (batch is not null)
            {
                sent.Add(AnsweredAsync(batch));
            }
        }
        catch (Exception e) when (e is OperationCanceledException || RedisErrors.IsUnavailable(e))
        {
            // Stop sending; what was sent is still awaited below.
            stopped = e;
        }

        // Every batch sent is answered before the task completes, so nothing of this call is applied after it.
        var written = 0;
        Exception? failed = null;
        foreach (var answer in sent)
        {
            try
            {
                written += await answer.ConfigureAwait(false);
            }
            catch (Exception e) when (RedisErrors.IsUnavailable(e))
            {
                failed ??= e;
            }
        }

        if ((failed ?? stopped) is { } error)
        {
            if (RedisErrors.IsUnavailable(error))
            {
                throw RedisErrors.Unavailable(_endpoints, "write online records", error);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return written;
    }

    private static Task<RedisResult> Send(IDatabase database, RedisKey[] keys, IReadOnlyList<OnlineWrite> writes, int offset, SlotRuns runs, int start, int end)
    {
        var callKeys = new RedisKey[end - start];
        var callRecords = new RedisValue[end - start];
        for (var position = start; position < end; position++)
        {
            var index = runs.IndexAt(position);
            callKeys[position - start] = keys[index];
            callRecords[position - start] = writes[offset + index].Record;
        }

        return LastWriteWinsScript.ApplyAsync(database, callKeys, callRecords);
    }

    /// <summary>The written count of one pipelined batch, its permit released once Redis has answered all of it.</summary>
    private async Task<int> AnsweredAsync(List<Task<RedisResult>> calls)
    {
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
            var written = 0;
            foreach (var call in calls)
            {
                written += (int)call.Result;
            }

            return written;
        }
        finally
        {
            _batchesInFlight.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckRead(keys, records);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Count == 0)
        {
            return;
        }

        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
        {
            redisKeys[i] = _layout.RecordKey(keys[i].View, keys[i].Entity);
        }

        using var runs = SlotRuns.Create(ClusterOrNull(), redisKeys, redisKeys.Length);
        try
        {
            if (runs.RunEnd(0, MaxKeysPerCommand) == runs.Count)
            {
                // The common case (one entity, or a small batch on one server): one MGET, no regrouping.
                Scatter(await database.StringGetAsync(Gather(redisKeys, runs, 0, runs.Count)).ConfigureAwait(false), runs, 0, records);
                return;
            }

            var starts = new List<int>();
            var reads = new List<Task<RedisValue[]>>();
            for (var start = 0; start < runs.Count;)
            {
                var end = runs.RunEnd(start, MaxKeysPerCommand);
                starts.Add(start);
                reads.Add(database.StringGetAsync(Gather(redisKeys, runs, start, end)));
                start = end;
            }

            await Task.WhenAll(reads).ConfigureAwait(false);
            for (var i = 0; i < reads.Count; i++)
            {
                Scatter(reads[i].Result, runs, starts[i], records);
            }
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "read online records", e);
        }
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        RedisValue value;
        try
        {
            value = await database.StringGetAsync(_layout.WatermarkKey(view)).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "read the watermark of view '" + view + "'", e);
        }

        if (value.IsNull)
        {
            return null;
        }

        return value.TryParse(out long micros)
            ? UtcMicros.ToDateTimeOffset(micros)
            : throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, $"The watermark of view '{view}' at Redis key '{_layout.WatermarkKey(view)}' is not a number of microseconds; delete the key and materialize again.");
    }

    /// <inheritdoc />
    public async Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await database.StringSetAsync(_layout.WatermarkKey(view), UtcMicros.From(watermark)).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "write the watermark of view '" + view + "'", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// SCANs every primary (every node of a cluster) for the project's keys and deletes them in pipelined batches,
    /// one key per command so that no command spans slots. Keys written while it runs may survive it.
    /// </remarks>
    public async Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deletes = new List<Task>(MaxKeysPerCommand);
            foreach (var server in _connection!.GetServers())
            {
                if (server.IsReplica)
                {
                    continue;
                }

                // A node that does not answer may be a primary whose keys would survive; saying "removed" would be a lie.
                if (!server.IsConnected)
                {
                    throw new GranaryException(
                        ErrorCodes.OnlineStoreUnavailable,
                        $"Redis node {server.EndPoint} does not answer, so the project's online records on it cannot be removed; run the teardown again when every node answers.");
                }

                foreach (var pattern in _layout.ProjectPatterns())
                {
                    await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        deletes.Add(database.KeyDeleteAsync(key));
                        if (deletes.Count == MaxKeysPerCommand)
                        {
                            await Task.WhenAll(deletes).ConfigureAwait(false);
                            deletes.Clear();
                        }
                    }
                }
            }

            await Task.WhenAll(deletes).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "remove the project's online records", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>Waits for the writes already running, then closes the connection.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposedFlag, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _activeWrites) > 0)
        {
            await _writesDrained.Task.ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
        _batchesInFlight.Dispose();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (!IsDisposed)
        {
            var endpoint = Describe(e.EndPoint);
            OnlineLog.RedisConnectionLost(_logger, endpoint, e.ConnectionType, e.FailureType, e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        var endpoint = Describe(e.EndPoint);
        OnlineLog.RedisConnectionRestored(_logger, endpoint, e.ConnectionType);
    }

    private static string? Describe(EndPoint? endpoint) => endpoint is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : endpoint?.ToString();

    private static ConfigurationOptions ParseOptions(string connection)
    {
        ConfigurationOptions options = null!;
        try
        {
            options = ConfigurationOptions.Parse(connection);
        }
        catch (ArgumentException e)
        {
            RedisErrors.ThrowInvalidConnection(e.Message, e);
        }

        if (options.EndPoints.Count == 0)
        {
            RedisErrors.ThrowInvalidConnection("it names no endpoint.");
        }

        return options;
    }

    private static string DescribeEndpoints(EndPointCollection endpoints)
    {
        var names = new string[endpoints.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Describe(endpoints[i]) ?? "?";
        }

        return string.Join(",", names);
    }

    private static RedisKey[] Gather(RedisKey[] keys, SlotRuns runs, int start, int end)
    {
        var gathered = new RedisKey[end - start];
        for (var position = start; position < end; position++)
        {
            gathered[position - start] = keys[runs.IndexAt(position)];
        }

        return gathered;
    }

    private static void Scatter(RedisValue[] values, SlotRuns runs, int start, byte[]?[] records)
    {
        for (var i = 0; i < values.Length; i++)
        {
            records[runs.IndexAt(start + i)] = (byte[]?)values[i];
        }
    }

    // Disposed first, then the token: the contract's order of checks.
    private ValueTask<IDatabase> ConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _database is { } database ? new ValueTask<IDatabase>(database) : ConnectSlowAsync(cancellationToken);
    }

    private async ValueTask<IDatabase> ConnectSlowAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _database!;
    }

    // Until a server has answered, the topology is unknown and batches are split by slot: that is correct on a single
    // server too, only less batched, whereas treating a cluster as one server would send cross-slot commands.
    private ConnectionMultiplexer? ClusterOrNull()
    {
        if (_topology == Topology.Unknown)
        {
            DetectTopology(_connection!);
        }

        return _topology == Topology.Single ? null : _connection;
    }

    private void DetectTopology(ConnectionMultiplexer connection)
    {
        foreach (var server in connection.GetServers())
        {
            if (server.IsConnected)
            {
                _topology = server.ServerType == ServerType.Cluster ? Topology.Cluster : Topology.Single;
                return;
            }
        }
    }
}
