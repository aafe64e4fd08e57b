namespace Granary.Benchmarks;

/// <summary>
/// The one view the in-process lookup benchmarks read: <c>user_stats</c> (orders_7d int64, spend_7d float64) of
/// entity <c>user</c>, over a one-row CSV source, with its users written straight to the online store.
/// </summary>
public static class BenchUserStats
{
    /// <summary>The entity, the source and the view, as a repository's YAML.</summary>
    public const string Definitions = """
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
        """;

    /// <summary>Writes the source file (<c>data/user_stats.csv</c>) and <c>features.yaml</c> with <paramref name="extra"/> after <see cref="Definitions"/>.</summary>
    public static async Task WriteRepositoryAsync(string root, string extra = "")
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        await File.WriteAllTextAsync(Path.Combine(root, "data", "user_stats.csv"), "user_id,event_timestamp,orders_7d,spend_7d\n0,2026-11-01T00:00:00Z,1,1.5\n");
        await File.WriteAllTextAsync(Path.Combine(root, "features.yaml"), Definitions + "\n" + extra);
    }

    /// <summary>Users 0 to <paramref name="users"/> - 1, with orders u % 9 and spend u * 1.5, written to the online store.</summary>
    public static async Task WriteUsersAsync(FeatureStore store, int users)
    {
        var ids = new List<object?>(users);
        var times = new List<object?>(users);
        var orders = new List<object?>(users);
        var spend = new List<object?>(users);
        for (var u = 0; u < users; u++)
        {
            ids.Add((long)u);
            times.Add("2026-11-01T00:00:00Z");
            orders.Add((long)(u % 9));
            spend.Add(u * 1.5);
        }

        await store.WriteToOnlineStoreAsync("user_stats", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = ids,
            ["event_timestamp"] = times,
            ["orders_7d"] = orders,
            ["spend_7d"] = spend,
        });
    }
}
