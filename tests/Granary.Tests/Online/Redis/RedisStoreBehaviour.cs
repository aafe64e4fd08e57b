using System.Globalization;
using Granary.Core.Model;
using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Tests.Online.Redis;

/// <summary>
/// What the Redis store promises beyond the shared contract: how many commands a read costs, exact last-write-wins in
/// Lua, and agreement between independent writers. Runs on a single server and on a cluster (the derived classes).
/// </summary>
public abstract class RedisStoreBehaviour : IAsyncLifetime
{
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);
    private static readonly string[] Views = ["stats", "trips", "profile"];
    private readonly List<RedisOnlineStore> _stores = [];

    /// <summary>Connection string of the Redis under test.</summary>
    protected abstract string ConnectionString { get; }

    /// <summary>Every server (node) of the Redis under test, for command statistics.</summary>
    protected abstract IReadOnlyList<RedisServer> Nodes { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reading_every_view_of_one_entity_is_one_MGET()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var entity = EntityKey.Create(FeatureValue.String("user-7"));
        var writes = Array.ConvertAll(Views, v => new OnlineWrite(v, entity, Record(100, 1, v.Length)));
        await store.WriteAsync(writes);
        await ResetStatsAsync();

        var records = new byte[]?[Views.Length];
        await store.ReadAsync(Array.ConvertAll(Views, v => new OnlineKey(v, entity)), records);

        Assert.Equal(Array.ConvertAll(writes, w => w.Record), records);
        Assert.Equal(1, await CallsAsync("mget"));
        Assert.Equal(0, await CallsAsync("get"));
    }

    [Fact]
    public async Task Times_beyond_double_precision_compare_exactly()
    {
        // Lua numbers are doubles; 2^60 and 2^60 + 1 are one double, so a naive unpack would call these a tie.
        var store = await OpenAsync(RedisServer.NewProject());
        var key = EntityKey.Create(FeatureValue.Int64(1));
        const long Big = 1L << 60;

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(Big, UtcMicros.None, 1))]));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(Big, UtcMicros.None + 1, 2))]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite("v", key, Record(Big, UtcMicros.None, 3))]));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(Big + 1, UtcMicros.None, 4))]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite("v", key, Record(Big, long.MaxValue, 5))]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite("v", key, Record(-1, long.MaxValue, 6))]));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(long.MaxValue, long.MinValue, 7))]));

        Assert.Equal(Record(long.MaxValue, long.MinValue, 7), await ReadOneAsync(store, "v", key));
    }

    [Fact]
    public async Task Negative_times_order_below_positive_ones()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var key = EntityKey.Create(FeatureValue.Int64(1));

        await store.WriteAsync([new OnlineWrite("v", key, Record(-1, 0, 1))]);
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(0, -5, 2))]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite("v", key, Record(-1_000_000, 0, 3))]));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(0, -4, 4))]));

        Assert.Equal(Record(0, -4, 4), await ReadOneAsync(store, "v", key));
    }

    [Fact]
    public async Task Two_store_instances_writing_concurrently_keep_last_write_wins()
    {
        var project = RedisServer.NewProject();
        var first = await OpenAsync(project);
        var second = await OpenAsync(project);
        var entities = new EntityKey[40];
        for (var i = 0; i < entities.Length; i++)
        {
            entities[i] = EntityKey.Create(FeatureValue.Int64(i));
        }

        // Unique (event, created) per write, spread so that each writer wins some keys and loses others.
        var random = new Random(42);
        OnlineWrite[] Writes(int writer) => Enumerable.Range(0, 4000)
            .Select(i => new OnlineWrite(Views[i % 2], entities[random.Next(entities.Length)], Record(random.Next(1000) + (1L << 55), (i * 2) + writer, (writer * 10_000) + i)))
            .ToArray();
        var batches = new[] { Writes(0), Writes(1) };

        await Task.WhenAll(
            Task.Run(async () => { foreach (var chunk in batches[0].Chunk(50)) { await first.WriteAsync(chunk); } }),
            Task.Run(async () => { foreach (var chunk in batches[1].Chunk(50)) { await second.WriteAsync(chunk); } }));

        var expected = batches.SelectMany(b => b)
            .GroupBy(w => new OnlineKey(w.View, w.Entity))
            .ToDictionary(g => g.Key, g => g.MaxBy(w => (OnlineRecord.EventMicros(w.Record), OnlineRecord.CreatedMicros(w.Record)))!.Record);
        var keys = expected.Keys.ToArray();
        var records = new byte[]?[keys.Length];
        await (await OpenAsync(project)).ReadAsync(keys, records);
        Assert.Equal(keys.Select(k => expected[k]), records);
    }

    [Fact]
    public async Task Writes_go_on_after_the_server_forgets_the_script()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var key = EntityKey.Create(FeatureValue.Int64(1));
        await store.WriteAsync([new OnlineWrite("v", key, Record(1, 1, 1))]);

        foreach (var node in Nodes)
        {
            await node.CliAsync("script", "flush");
        }

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(2, 1, 2))]));
        Assert.Equal(Record(2, 1, 2), await ReadOneAsync(store, "v", key));
    }

    [Fact]
    public async Task A_stored_value_that_is_not_a_record_is_replaced()
    {
        var store = await OpenAsync(RedisServer.NewProject());
        var key = EntityKey.Create(FeatureValue.Int64(1));
        await Nodes[0].CliAsync("-c", "set", (string)store.Layout.RecordKey("v", key)!, "not a record");

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite("v", key, Record(long.MinValue, long.MinValue, 1))]));
        Assert.Equal(Record(long.MinValue, long.MinValue, 1), await ReadOneAsync(store, "v", key));
    }

    [Fact]
    public async Task A_large_write_keeps_at_most_the_configured_batches_unanswered()
    {
        var store = await OpenAsync(RedisServer.NewProject(), maxBatchBytes: 1024, maxBatchesInFlight: 2);
        var writes = Enumerable.Range(0, 400).Select(i => new OnlineWrite("stats", EntityKey.Create(FeatureValue.Int64(i)), Record(100, 1, i))).ToArray();
        await store.WriteAsync([writes[0]]);
        var sentBefore = store.BatchesSent;

        // While every node holds its clients, nothing is answered: the store must stop after two batches.
        foreach (var node in Nodes)
        {
            await node.CliAsync("client", "pause", "4000", "all");
        }

        var write = store.WriteAsync(writes);
        for (var polls = 0; store.BatchesSent - sentBefore < 2 && polls < 100; polls++)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        Assert.Equal(2, store.BatchesSent - sentBefore);
        Assert.False(write.IsCompleted);

        // 400 writes of about 60 bytes of key and record each need many 1 KiB batches once answers come.
        Assert.Equal(399, await write);
        Assert.True(store.BatchesSent - sentBefore > 10, $"{store.BatchesSent - sentBefore} batches for about 24 KB.");
        var records = new byte[]?[writes.Length];
        await store.ReadAsync([.. writes.Select(w => new OnlineKey(w.View, w.Entity))], records);
        Assert.Equal(writes.Select(w => w.Record), records);
    }

    /// <summary>Opens a store that the test's cleanup disposes.</summary>
    private protected async Task<RedisOnlineStore> OpenAsync(
        string project,
        int maxBatchBytes = RedisOnlineStoreOptions.DefaultMaxBatchBytes,
        int maxBatchesInFlight = RedisOnlineStoreOptions.DefaultMaxBatchesInFlight)
    {
        var store = new RedisOnlineStore(new RedisOnlineStoreOptions { Connection = ConnectionString, MaxBatchBytes = maxBatchBytes, MaxBatchesInFlight = maxBatchesInFlight }, project);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    protected static byte[] Record(long eventMicros, long createdMicros, long a) =>
        OnlineRecord.Encode(Schema, eventMicros, createdMicros, [FeatureValue.Int64(a)]);

    protected static async Task<byte[]?> ReadOneAsync(IOnlineStore store, string view, EntityKey key)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(view, key)], records);
        return records[0];
    }

    protected async Task ResetStatsAsync()
    {
        foreach (var node in Nodes)
        {
            await node.CliAsync("config", "resetstat");
        }
    }

    /// <summary>How often <paramref name="command"/> ran on all nodes since the last reset (INFO commandstats).</summary>
    protected async Task<long> CallsAsync(string command)
    {
        var prefix = $"cmdstat_{command}:calls=";
        long calls = 0;
        foreach (var node in Nodes)
        {
            foreach (var line in (await node.CliAsync("info", "commandstats")).Split('\n'))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(prefix.Length);
                    calls += long.Parse(digits[..digits.IndexOf(',')], CultureInfo.InvariantCulture);
                }
            }
        }

        return calls;
    }
}
