using System.Diagnostics;
using System.Globalization;
using Granary.OnlineServing;
using Granary.Push;

namespace Granary.Benchmarks.Online;

/// <summary>
/// <c>--push-vs-read [--clients N] [--seconds S] [--data DIR]</c>: single-row pushes from N concurrent clients (default
/// 32) into the embedded store through <see cref="FeatureStore.PushAsync"/>, against single-entity reads through
/// <see cref="FeatureStore.GetOnlineFeaturesAsync"/> at the same concurrency, in the same process and run. Every client
/// awaits each call before its next (closed loop), so a push counts only once it is acknowledged. Afterwards a second
/// store opened over the same file (as another process would) must read every acknowledged row: the last value each
/// client was told is durable.
/// </summary>
public static class PushVersusReadBenchmark
{
    public const string Option = "--push-vs-read";

    private const int UsersPerClient = 100;
    private const int ReadUsers = 10_000;

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var clients = 32;
        var seconds = 5.0;
        var directory = Path.Combine(Path.GetTempPath(), "granary-push-vs-read");
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--clients":
                    clients = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--data":
                    directory = args[++i];
                    break;
            }
        }

        var root = Path.Combine(directory, "repo");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        WriteRepository(root);
        await using var store = FeatureStore.Open(root);
        await store.ApplyAsync();
        for (var start = 0; start < ReadUsers; start += 1_000)
        {
            await store.PushAsync(Push(Enumerable.Range(start, 1_000).Select(u => ((long)u, 0L, 1L)).ToArray()));
        }

        var duration = TimeSpan.FromSeconds(seconds);
        var reads = await MeasureAsync(clients, TimeSpan.FromSeconds(1), duration, async (client, n) =>
        {
            var user = (long)((((client * 7_919L) + n) * 104_729L) % ReadUsers);
            var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Features = ["live_stats:orders_7d", "live_stats:spend_7d"],
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
            });
            GC.KeepAlive(response);
        });

        // Each client upserts its own users with rising times; the last value it was acknowledged per user is kept.
        var acknowledged = new long[clients * UsersPerClient];
        var pushes = await MeasureAsync(clients, TimeSpan.FromSeconds(1), duration, async (client, n) =>
        {
            var user = ReadUsers + (client * UsersPerClient) + (n % UsersPerClient);
            var value = n + 2;
            await store.PushAsync(Push([(user, value, value)]));
            acknowledged[user - ReadUsers] = value;
        });

        await using var second = FeatureStore.Open(root);
        var missing = 0;
        for (var u = 0; u < acknowledged.Length; u++)
        {
            var response = await second.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Features = ["live_stats:orders_7d"],
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [(long)(ReadUsers + u)] },
            });
            var served = response["orders_7d"].Values[0];
            if (acknowledged[u] != 0 && (served.IsNull || served.AsInt64() != acknowledged[u]))
            {
                missing++;
            }
        }

        Console.WriteLine($"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; {Environment.ProcessorCount} cores; {clients} clients; {seconds:F0} s per phase");
        Console.WriteLine($"single-entity reads:  {reads:N0} /s");
        Console.WriteLine($"single-row pushes:    {pushes:N0} /s");
        Console.WriteLine($"pushes / reads:       {100 * pushes / reads:F1} %");
        Console.WriteLine($"acknowledged rows not read back by a second store: {missing}");
        return missing == 0 ? 0 : 1;
    }

    /// <summary>Calls per second over <paramref name="duration"/>, after <paramref name="warmup"/>, of N closed-loop clients.</summary>
    private static async Task<double> MeasureAsync(int clients, TimeSpan warmup, TimeSpan duration, Func<int, int, Task> call)
    {
        long counted = 0;
        var counting = 0;
        var stop = 0;
        var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; Volatile.Read(ref stop) == 0; n++)
            {
                await call(client, n);
                if (Volatile.Read(ref counting) == 1)
                {
                    Interlocked.Increment(ref counted);
                }
            }
        })).ToArray();
        await Task.Delay(warmup);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, 1);
        await Task.Delay(duration);
        Volatile.Write(ref counting, 0);
        var elapsed = clock.Elapsed.TotalSeconds;
        var calls = Interlocked.Read(ref counted);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(tasks);
        return calls / elapsed;
    }

    private static PushRequest Push((long User, long Seconds, long Orders)[] rows) => new()
    {
        PushSourceName = "user_stats_push",
        To = PushTarget.Online,
        Columns = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = rows.Select(r => (object?)r.User).ToList(),
            ["event_timestamp"] = rows.Select(r => (object?)new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(r.Seconds).ToString("O", CultureInfo.InvariantCulture)).ToList(),
            ["orders_7d"] = rows.Select(r => (object?)r.Orders).ToList(),
            ["spend_7d"] = rows.Select(r => (object?)(r.Orders * 1.5)).ToList(),
        },
    };

    private static void WriteRepository(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "granary.yaml"), "project: push_vs_read\nonline_store: {type: embedded}\n");
        File.WriteAllText(Path.Combine(root, "data", "user_stats.csv"), "user_id,event_timestamp,orders_7d,spend_7d\n1,2026-01-01T00:00:00Z,1,1.5\n");
        File.WriteAllText(Path.Combine(root, "features.yaml"), """
            entities:
              - {name: user, join_keys: [user_id], value_type: int64}
            sources:
              - {name: user_stats_source, type: file, path: data/user_stats.csv, timestamp_field: event_timestamp}
              - {name: user_stats_push, type: push, batch_source: user_stats_source}
            feature_views:
              - name: live_stats
                entities: [user]
                ttl: 0
                source: user_stats_push
                schema: [{name: orders_7d, dtype: int64}, {name: spend_7d, dtype: float64}]
            """);
    }
}
