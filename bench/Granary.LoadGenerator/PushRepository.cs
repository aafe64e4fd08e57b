using System.Globalization;
using Granary.Push;

namespace Granary.LoadGenerator;

/// <summary>
/// The repository of the push benchmark, the same as bench/Granary.Benchmarks/Online/PushVersusReadBenchmark.cs
/// builds in process: one view, <c>live_stats</c> (<c>orders_7d</c> int64, <c>spend_7d</c> float64), over a push
/// source, in the embedded store; <see cref="ReadUsers"/> users pushed up front for the reads. Rewritten on every
/// <c>prepare-push</c>, so each run starts from an empty log.
/// </summary>
internal static class PushRepository
{
    public const string View = "live_stats";
    public const string Source = "user_stats_push";
    public const string Orders = "orders_7d";
    public const string Spend = "spend_7d";

    /// <summary>Users 0 to this, pushed before the run, are the ones reads ask for; pushes use users above.</summary>
    public const int ReadUsers = 10_000;

    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The read requests' feature references.</summary>
    public static string FeatureRefs => $"{View}:{Orders},{View}:{Spend}";

    public static async Task PrepareAsync(Options options)
    {
        var root = Path.GetFullPath(options.Required("repo"));
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(root, "data"));
        await File.WriteAllTextAsync(Path.Combine(root, "granary.yaml"), "project: push_bench\nonline_store: {type: embedded}\n");
        await File.WriteAllTextAsync(Path.Combine(root, "data", "user_stats.csv"), $"user_id,event_timestamp,{Orders},{Spend}\n1,2026-01-01T00:00:00Z,1,1.5\n");
        await File.WriteAllTextAsync(Path.Combine(root, "features.yaml"), $$"""
            entities:
              - {name: user, join_keys: [user_id], value_type: int64}
            sources:
              - {name: user_stats_source, type: file, path: data/user_stats.csv, timestamp_field: event_timestamp}
              - {name: {{Source}}, type: push, batch_source: user_stats_source}
            feature_views:
              - name: {{View}}
                entities: [user]
                ttl: 0
                source: {{Source}}
                schema: [{name: {{Orders}}, dtype: int64}, {name: {{Spend}}, dtype: float64}]
            """);
        await using var store = FeatureStore.Open(root);
        await store.ApplyAsync();
        for (var start = 0; start < ReadUsers; start += 1_000)
        {
            var users = Enumerable.Range(start, 1_000).ToArray();
            await store.PushAsync(new PushRequest
            {
                PushSourceName = Source,
                To = PushTarget.Online,
                Columns = new Dictionary<string, IReadOnlyList<object?>>
                {
                    ["user_id"] = [.. users.Select(u => (object?)(long)u)],
                    ["event_timestamp"] = [.. users.Select(_ => (object?)Epoch.ToString("O", CultureInfo.InvariantCulture))],
                    [Orders] = [.. users.Select(_ => (object?)1L)],
                    [Spend] = [.. users.Select(_ => (object?)1.5)],
                },
            });
        }

        Console.WriteLine($"Prepared {root}: {ReadUsers:N0} users pushed into {View}.");
    }
}
