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
        Directory.CreateDirectory(Path.Combine(root, "data"));
        await File.WriteAllTextAsync(Path.Combine(root, "granary.yaml"), "project: bench\nregistry: data/registry.db\n");
        await File.WriteAllTextAsync(Path.Combine(root, "data", "user_stats.csv"), "user_id,event_timestamp,orders_7d,spend_7d\n0,2026-11-01T00:00:00Z,1,1.5\n");
        await File.WriteAllTextAsync(Path.Combine(root, "features.yaml"), """
            entities:
              - {name: user, join_keys: [user_id], value_type: int64}
            sources:
              - {name: user_stats_source, type: file, path: data/user_stats.csv, timestamp_field: event_timestamp}
            feature_views:
              - name: user_stats
                entities: [user]
                ttl: 0
                source: user_stats_source
                schema: [{name: orders_7d, dtype: int64}, {name: spend_7d, dtype: float64}]
            on_demand_feature_views:
              - name: order_context
                sources: [user_stats]
                request_schema: [{name: amount, dtype: float64}, {name: hour, dtype: int32}]
                features:
                  - {name: amount_over_spend, dtype: float64, expr: "amount / coalesce(user_stats.spend_7d, 1.0)"}
                  - {name: busy_night, dtype: bool, expr: "hour < 6 and user_stats.orders_7d > 2"}
            """);
        var store = new FeatureStoreBuilder(root).Build();
        await store.ApplyAsync();
        var users = new List<object?>(Users);
        var times = new List<object?>(Users);
        var orders = new List<object?>(Users);
        var spend = new List<object?>(Users);
        for (var u = 0; u < Users; u++)
        {
            users.Add((long)u);
            times.Add("2026-11-01T00:00:00Z");
            orders.Add((long)(u % 9));
            spend.Add(u * 1.5);
        }

        await store.WriteToOnlineStoreAsync("user_stats", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = users,
            ["event_timestamp"] = times,
            ["orders_7d"] = orders,
            ["spend_7d"] = spend,
        });
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
