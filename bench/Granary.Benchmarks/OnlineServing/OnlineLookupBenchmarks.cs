using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Granary.OnlineServing;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// <see cref="FeatureStore.GetOnlineFeaturesAsync"/> on the embedded store holding 1,000,000 users: 1 entity x 10
/// features and 100 entities x 10 features, each request for other pseudo-random users, against the floor: building the
/// entity key, a lookup in a bare <c>ConcurrentDictionary&lt;EntityKey, byte[]&gt;</c> of the same records and
/// <c>OnlineRecord.TryDecode</c>. Run through <c>--online-lookup</c>, which prepares the store.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddedOnlineLookupBenchmarks
{
    private LookupFixture _fixture = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup() => _fixture = await LookupFixture.OpenAsync(LookupFixture.EmbeddedVariable);

    [GlobalCleanup]
    public async Task Cleanup() => await _fixture.DisposeAsync();

    [Benchmark(Baseline = true, Description = "Floor: dictionary + TryDecode")]
    [BenchmarkCategory("1 entity x 10 features")]
    public int Floor1() => _fixture.FloorDictionary([_fixture.SingleId(_next++ & (LookupFixture.SingleRequests - 1))]);

    [Benchmark(Description = "GetOnlineFeaturesAsync")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<OnlineFeaturesResponse> Granary1() =>
        _fixture.Store.GetOnlineFeaturesAsync(_fixture.Single[_next++ & (LookupFixture.SingleRequests - 1)]);

    [Benchmark(Baseline = true, Description = "Floor: dictionary + TryDecode")]
    [BenchmarkCategory("100 entities x 10 features")]
    public int Floor100() => _fixture.FloorDictionary(_fixture.BatchIds[_next++ & (LookupFixture.BatchRequests - 1)]);

    [Benchmark(Description = "GetOnlineFeaturesAsync")]
    [BenchmarkCategory("100 entities x 10 features")]
    public Task<OnlineFeaturesResponse> Granary100() =>
        _fixture.Store.GetOnlineFeaturesAsync(_fixture.Batch[_next++ & (LookupFixture.BatchRequests - 1)]);
}

/// <summary>
/// The same lookups on a local Redis holding the same 1,000,000 users, against the floor: one raw StackExchange.Redis
/// GET (1 entity) or MGET (100) of the same keys, built ahead, and <c>OnlineRecord.TryDecode</c>. Compare with
/// <c>redis-benchmark</c> on the same server, which <c>--online-lookup</c> runs after these.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedisOnlineLookupBenchmarks
{
    private LookupFixture _fixture = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup() => _fixture = await LookupFixture.OpenAsync(LookupFixture.RedisVariable);

    [GlobalCleanup]
    public async Task Cleanup() => await _fixture.DisposeAsync();

    [Benchmark(Baseline = true, Description = "Floor: raw GET + TryDecode")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<int> Floor1() => _fixture.FloorRedisAsync(_next++ & (LookupFixture.SingleRequests - 1), 1);

    [Benchmark(Description = "GetOnlineFeaturesAsync")]
    [BenchmarkCategory("1 entity x 10 features")]
    public Task<OnlineFeaturesResponse> Granary1() =>
        _fixture.Store.GetOnlineFeaturesAsync(_fixture.Single[_next++ & (LookupFixture.SingleRequests - 1)]);

    [Benchmark(Baseline = true, Description = "Floor: raw MGET + TryDecode")]
    [BenchmarkCategory("100 entities x 10 features")]
    public Task<int> Floor100() => _fixture.FloorRedisAsync((_next++ & 511) * 128, LookupFixture.BatchSize);

    [Benchmark(Description = "GetOnlineFeaturesAsync")]
    [BenchmarkCategory("100 entities x 10 features")]
    public Task<OnlineFeaturesResponse> Granary100() =>
        _fixture.Store.GetOnlineFeaturesAsync(_fixture.Batch[_next++ & (LookupFixture.BatchRequests - 1)]);
}
