using BenchmarkDotNet.Attributes;
using Granary.Core.Values;
using Granary.OnlineServing;

namespace Granary.Benchmarks.OnDemand;

/// <summary>
/// An in-process lookup of two stored features per entity (the baseline) against the same lookup with two on-demand
/// features computed from them and request data, over the embedded store (see <see cref="OnDemandBenchmarkMain"/>).
/// The difference divided by <see cref="Entities"/> is what on-demand features add per entity.
/// </summary>
[MemoryDiagnoser]
public class OnDemandLookupBenchmarks
{
    private OnDemandRepositoryFixture? _fixture;
    private OnlineFeaturesRequest _plain = null!;
    private OnlineFeaturesRequest _onDemand = null!;

    [Params(1, 100)]
    public int Entities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = OnDemandRepositoryFixture.OpenAsync().GetAwaiter().GetResult();
        var users = new List<object?>(Entities);
        var amounts = new List<object?>(Entities);
        var hours = new List<object?>(Entities);
        for (var i = 0; i < Entities; i++)
        {
            users.Add((long)(i * 7 % OnDemandRepositoryFixture.Users));
            amounts.Add(10.0 + i);
            hours.Add((long)(i % 24));
        }

        var entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users };
        _plain = new OnlineFeaturesRequest { Features = ["user_stats:orders_7d", "user_stats:spend_7d"], Entities = entities };
        _onDemand = new OnlineFeaturesRequest
        {
            Features = ["user_stats:orders_7d", "user_stats:spend_7d", "order_context:amount_over_spend", "order_context:busy_night"],
            Entities = entities,
            RequestContext = new Dictionary<string, IReadOnlyList<object?>> { ["amount"] = amounts, ["hour"] = hours },
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task<FeatureValue> StoredFeaturesOnly() => (await _fixture!.Store.GetOnlineFeaturesAsync(_plain)).Results[1].Values[0];

    [Benchmark]
    public async Task<FeatureValue> WithTwoOnDemandFeatures() => (await _fixture!.Store.GetOnlineFeaturesAsync(_onDemand)).Results[3].Values[0];
}
