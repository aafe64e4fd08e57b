namespace Granary.Benchmarks.OnDemand;

/// <summary>
/// A throwaway repository: one entity, one view of two features (10,000 users written to the embedded store) and an
/// on-demand view of two expressions over it and request data.
/// </summary>
public sealed class OnDemandRepositoryFixture : IAsyncDisposable
{
    public const int Users = 10_000;

    private readonly string _root;

    private OnDemandRepositoryFixture(string root, FeatureStore store)
    {
        _root = root;
        Store = store;
    }

    public FeatureStore Store { get; }

    public static async Task<OnDemandRepositoryFixture> OpenAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "granary-ondemand-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await BenchUserStats.WriteRepositoryAsync(root, """
            on_demand_feature_views:
              - name: order_context
                sources: [user_stats]
                request_schema: [{name: amount, dtype: float64}, {name: hour, dtype: int32}]
                features:
                  - {name: amount_over_spend, dtype: float64, expr: "amount / coalesce(user_stats.spend_7d, 1.0)"}
                  - {name: busy_night, dtype: bool, expr: "hour < 6 and user_stats.orders_7d > 2"}
            """);
        await File.WriteAllTextAsync(Path.Combine(root, "granary.yaml"), "project: bench\nregistry: data/registry.db\n");
        var store = new FeatureStoreBuilder(root).Build();
        await store.ApplyAsync();
        await BenchUserStats.WriteUsersAsync(store, Users);
        return new OnDemandRepositoryFixture(root, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
