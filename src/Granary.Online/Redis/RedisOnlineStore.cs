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
internal sealed class RedisOnlineStore : IOnlineStore
{
    // Long enough to amortize a command's overhead, short enough that no single MGET or script stalls Redis.
    private const int MaxKeysPerCommand = 256;

    private readonly ConfigurationOptions _options;
    private readonly RedisKeyLayout _layout;
    private readonly string _endpoints;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private Topology _topology;
    private bool _disposed;

    /// <summary>Creates a store over the Redis named by <paramref name="connection"/>, keeping <paramref name="project"/>'s keys.</summary>
    /// <param name="connection">A StackExchange.Redis configuration string: one or more <c>host:port</c> endpoints and options. A cluster is detected on connect.</param>
    /// <param name="project">The project whose keys this store reads and writes; projects sharing a Redis never see each other's keys.</param>
    /// <param name="logger">Where the store reports connecting, failing to connect, and connections lost and restored; none by default.</param>
    public RedisOnlineStore(string connection, string project, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _logger = logger ?? NullLogger.Instance;
        _options = ParseOptions(connection);
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

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        cancellationToken.ThrowIfCancellationRequested();
        if (writes.Count == 0)
        {
            return 0;
        }

        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        var keys = new RedisKey[writes.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var write = writes[i];
            if (write.Record is null || write.Record.Length < OnlineRecord.HeaderSize)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"The record for view '{write.View}' is not an online record (shorter than its {OnlineRecord.HeaderSize}-byte header).");
            }

            keys[i] = _layout.RecordKey(write.View, write.Entity);
        }

        using var runs = SlotRuns.Create(ClusterOrNull(), keys);
        var calls = new List<Task<RedisResult>>((keys.Length / MaxKeysPerCommand) + 1);
        try
        {
            // Every call is sent before any is awaited: the client pipelines them on one connection per node.
            for (var start = 0; start < runs.Count;)
            {
                var end = runs.RunEnd(start, MaxKeysPerCommand);
                var callKeys = new RedisKey[end - start];
                var callRecords = new RedisValue[end - start];
                for (var position = start; position < end; position++)
                {
                    var index = runs.IndexAt(position);
                    callKeys[position - start] = keys[index];
                    callRecords[position - start] = writes[index].Record;
                }

                calls.Add(LastWriteWinsScript.ApplyAsync(database, callKeys, callRecords));
                start = end;
            }

            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "write online records", e);
        }

        var written = 0;
        foreach (var call in calls)
        {
            written += (int)call.Result;
        }

        return written;
    }

    /// <inheritdoc />
    public async ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Length != keys.Count)
        {
            throw new ArgumentException($"{records.Length} slots for {keys.Count} keys; give one slot per key.", nameof(records));
        }

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

        using var runs = SlotRuns.Create(ClusterOrNull(), redisKeys);
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
        ArgumentNullException.ThrowIfNull(view);
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
        ArgumentNullException.ThrowIfNull(view);
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
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (!_disposed)
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

    private ValueTask<IDatabase> ConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
