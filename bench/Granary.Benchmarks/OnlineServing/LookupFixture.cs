using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Core.Values;
using StackExchange.Redis;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// What the lookup measurements share: a <see cref="FeatureStore"/> opened on a repository that
/// <see cref="OnlineBenchmarkMain"/> prepared and materialized (1,000,000 users, 10 features), requests prepared ahead
/// for pseudo-random users (1 entity x 10 features, 100 entities x 10 features), and the floors: the same records in a
/// bare <see cref="ConcurrentDictionary{TKey, TValue}"/> (embedded), or one raw StackExchange.Redis GET/MGET of the same
/// keys (Redis), each followed by <see cref="OnlineRecord.TryDecode"/>.
/// </summary>
public sealed class LookupFixture : IAsyncDisposable
{
    public const string EmbeddedVariable = "GRANARY_BENCH_ONLINE_EMBEDDED_REPO";
    public const string RedisVariable = "GRANARY_BENCH_ONLINE_REDIS_REPO";
    public const string EntitiesVariable = "GRANARY_BENCH_ONLINE_ENTITIES";

    public const int SingleRequests = 1 << 16;
    public const int BatchRequests = 1 << 10;
    public const int BatchSize = 100;

    private readonly long[] _ids;
    private readonly FeatureValue[] _decoded;
    private ConcurrentDictionary<EntityKey, byte[]>? _floor;
    private ConnectionMultiplexer? _redis;
    private IDatabase? _database;
    private RedisKey[]? _redisKeys;

    private LookupFixture(FeatureStore store, RecordSchema schema, long entities)
    {
        Store = store;
        Schema = schema;
        var random = new Random(42);
        _ids = new long[SingleRequests];
        for (var i = 0; i < _ids.Length; i++)
        {
            _ids[i] = random.NextInt64(entities);
        }

        Single = new OnlineFeaturesRequest[SingleRequests];
        for (var i = 0; i < Single.Length; i++)
        {
            Single[i] = Request([_ids[i]]);
        }

        SingleThroughService = new OnlineFeaturesRequest[SingleRequests];
        for (var i = 0; i < SingleThroughService.Length; i++)
        {
            SingleThroughService[i] = new OnlineFeaturesRequest { FeatureService = OnlineBenchData.Service, Entities = Single[i].Entities };
        }

        Batch = new OnlineFeaturesRequest[BatchRequests];
        BatchIds = new long[BatchRequests][];
        for (var i = 0; i < Batch.Length; i++)
        {
            BatchIds[i] = [.. Enumerable.Range(0, BatchSize).Select(_ => random.NextInt64(entities))];
            Batch[i] = Request(BatchIds[i]);
        }

        _decoded = new FeatureValue[BatchSize * schema.Count];
    }

    public FeatureStore Store { get; }

    public RecordSchema Schema { get; }

    /// <summary>1-entity requests, one per pseudo-random user.</summary>
    public OnlineFeaturesRequest[] Single { get; }

    /// <summary>The same 1-entity requests through the feature service <see cref="OnlineBenchData.Service"/> (usage recorded).</summary>
    public OnlineFeaturesRequest[] SingleThroughService { get; }

    /// <summary>100-entity requests.</summary>
    public OnlineFeaturesRequest[] Batch { get; }

    public long[][] BatchIds { get; }

    public long SingleId(int i) => _ids[i];

    /// <summary>Opens the repository named by <paramref name="variable"/>; builds the floor of its kind.</summary>
    public static async Task<LookupFixture> OpenAsync(string variable)
    {
        var root = Environment.GetEnvironmentVariable(variable)
            ?? throw new InvalidOperationException($"{variable} is not set: run these through '--online-lookup' (see docs/BENCHMARKS.md).");
        var entities = long.Parse(Environment.GetEnvironmentVariable(EntitiesVariable) ?? "1000000", CultureInfo.InvariantCulture);
        var store = FeatureStore.Open(root);
        var registry = await store.GetRegistryAsync();
        var plan = OnlineViewPlan.For(registry.Definitions.FindFeatureView(OnlineBenchData.View)!, registry.Definitions);
        var fixture = new LookupFixture(store, plan.Schema, entities);

        // The first read initializes the store (for the embedded store: loads the file into memory).
        var first = await store.GetOnlineFeaturesAsync(fixture.Single[0]);
        if (first.Results[1].Statuses[0] != FeatureStatus.Present)
        {
            throw new InvalidOperationException($"User {fixture._ids[0]} has no value in {root}: materialize first.");
        }

        if (store.Online.Name == "embedded")
        {
            await fixture.BuildDictionaryFloorAsync(entities);
        }
        else
        {
            await fixture.ConnectRedisFloorAsync(store.Config.OnlineStore["connection"]!);
        }

        return fixture;
    }

    /// <summary>The floor, embedded: a dictionary lookup and a decode per entity.</summary>
    public int FloorDictionary(ReadOnlySpan<long> ids)
    {
        var present = 0;
        var count = Schema.Count;
        for (var i = 0; i < ids.Length; i++)
        {
            var key = EntityKey.Create(FeatureValue.Int64(ids[i]));
            if (_floor!.TryGetValue(key, out var record) && OnlineRecord.TryDecode(record, Schema, _decoded.AsSpan(i * count, count)))
            {
                present++;
            }
        }

        return present;
    }

    /// <summary>The floor, Redis: one GET (one id) or MGET (many) of keys built ahead, and a decode per entity.</summary>
    public async Task<int> FloorRedisAsync(int first, int count)
    {
        var present = 0;
        if (count == 1)
        {
            var value = await _database!.StringGetAsync(_redisKeys![first]);
            return value.HasValue && OnlineRecord.TryDecode((byte[])value!, Schema, _decoded.AsSpan(0, Schema.Count)) ? 1 : 0;
        }

        var values = await _database!.StringGetAsync(_redisKeys.AsSpan(first, count).ToArray());
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].HasValue && OnlineRecord.TryDecode((byte[])values[i]!, Schema, _decoded.AsSpan(i * Schema.Count, Schema.Count)))
            {
                present++;
            }
        }

        return present;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    private static OnlineFeaturesRequest Request(long[] ids) => new()
    {
        Features = OnlineBenchData.FeatureReferences,
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [.. ids.Select(id => (object?)id)] },
    };

    private async Task BuildDictionaryFloorAsync(long entities)
    {
        // The same records, read out of the store once, in a dictionary of the same kind the store keeps.
        _floor = new ConcurrentDictionary<EntityKey, byte[]>(Environment.ProcessorCount, (int)entities);
        const int chunk = 10_000;
        var keys = new OnlineKey[chunk];
        var records = new byte[]?[chunk];
        for (long start = 0; start < entities; start += chunk)
        {
            var n = (int)Math.Min(chunk, entities - start);
            for (var i = 0; i < n; i++)
            {
                keys[i] = new OnlineKey(OnlineBenchData.View, EntityKey.Create(FeatureValue.Int64(start + i)));
            }

            await Store.Online.ReadAsync(keys.AsMemory(0, n).ToArray(), records);
            for (var i = 0; i < n; i++)
            {
                if (records[i] is { } record)
                {
                    _floor[keys[i].Entity] = record;
                }
            }
        }
    }

    private async Task ConnectRedisFloorAsync(string connection)
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(connection);
        _database = _redis.GetDatabase();

        // The store's documented layout: gr:<project>:{<base64url of the entity key>}:<view>.
        _redisKeys = new RedisKey[SingleRequests];
        for (var i = 0; i < _redisKeys.Length; i++)
        {
            var bytes = EntityKey.Create(FeatureValue.Int64(_ids[i])).Bytes;
            _redisKeys[i] = Encoding.UTF8.GetBytes($"gr:{OnlineBenchData.Project}:{{{Base64Url.EncodeToString(bytes)}}}:{OnlineBenchData.View}");
        }

        if (await FloorRedisAsync(0, 1) != 1)
        {
            throw new InvalidOperationException("The raw Redis key of a materialized user is missing: has the key layout changed?");
        }
    }
}
