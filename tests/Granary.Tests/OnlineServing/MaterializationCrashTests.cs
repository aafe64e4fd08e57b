using System.Diagnostics;
using DuckDB.NET.Data;
using Granary.Online;
using Granary.Tests.Infrastructure;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// Kills a real <c>granary materialize</c> process part-way, then shows that the watermark did not move and that a
/// re-run leaves exactly the right value for every sampled entity, checked against a naive reference. One subclass
/// per online store.
/// </summary>
public abstract class MaterializationCrashTests
{
    private const int Users = 600_000;
    private const int Sample = 3_000;

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    [Fact]
    public async Task A_materialization_killed_midway_is_completed_exactly_by_a_rerun()
    {
        using var repo = new TempRepository();
        repo.Write("granary.yaml", $"project: crash_{Guid.NewGuid():N}\nonline_store: {OnlineStoreYaml()}\n".Replace("crash_", "c", StringComparison.Ordinal))
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: events, type: file, path: data/events.parquet, timestamp_field: ts, created_timestamp_column: created}
                feature_views:
                  - name: stats
                    entities: [user]
                    source: events
                    schema: [{name: a, dtype: int64}, {name: b, dtype: float64}, {name: c, dtype: string}]
                """);
        await GenerateAsync(Path.Combine(repo.Root, "data", "events.parquet"));
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        var sample = SampleUsers();
        var expected = await NaiveLatestAsync(Path.Combine(repo.Root, "data", "events.parquet"), sample);
        await using var observerStore = FeatureStore.Open(repo.Root);
        var observer = observerStore.Online;
        await observer.InitializeAsync();

        var killedMidway = await RunAndKillAsync(repo.Root, observer, sample);

        Assert.True(killedMidway, "the materialize process finished before it could be killed; the test needs more data");
        Assert.Null(await observer.GetWatermarkAsync("stats"));
        await using (var store = FeatureStore.Open(repo.Root))
        {
            var rerun = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), ["stats"]);
            Assert.Equal(Users, rerun.Single().Rows);
        }

        var records = await ReadAsync(observer, sample);
        var schema = new RecordSchema([new("a", Granary.Core.Model.FeatureType.Int64), new("b", Granary.Core.Model.FeatureType.Float64), new("c", Granary.Core.Model.FeatureType.String)]);
        for (var i = 0; i < sample.Length; i++)
        {
            var values = new FeatureValue[3];
            Assert.True(records[i] is not null && OnlineRecord.TryDecode(records[i], schema, values), $"user {sample[i]} is missing");
            var (eventMicros, a) = expected[sample[i]];
            Assert.Equal(eventMicros, OnlineRecord.EventMicros(records[i]));
            Assert.Equal(a, values[0].AsInt64());
        }

        Assert.NotNull(await observer.GetWatermarkAsync("stats"));
    }

    private static long[] SampleUsers()
    {
        var random = new Random(7);
        var sample = new HashSet<long>();
        while (sample.Count < Sample)
        {
            sample.Add(random.Next(Users));
        }

        return [.. sample];
    }

    private static async Task<bool> RunAndKillAsync(string root, IOnlineStore observer, long[] sample)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Granary.Cli.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "materialize", "1970-01-01", "2030-01-01", "--repo", root },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var probe = new[] { new OnlineKey("stats", EntityKey.Create(FeatureValue.Int64(sample[0]))) };
        var deadline = Stopwatch.StartNew();
        try
        {
            while (deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (process.HasExited)
                {
                    return false;
                }

                // Kill as soon as any sampled record is written: some batches are durable, most are not yet written.
                var written = await ReadAsync(observer, sample.AsSpan(0, 200).ToArray());
                if (Array.Exists(written, r => r is not null))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    return true;
                }

                await Task.Delay(5);
            }

            return false;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<byte[]?[]> ReadAsync(IOnlineStore store, long[] users)
    {
        var keys = new OnlineKey[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            keys[i] = new OnlineKey("stats", EntityKey.Create(FeatureValue.Int64(users[i])));
        }

        var records = new byte[]?[keys.Length];
        await store.ReadAsync(keys, records);
        return records;
    }

    /// <summary>Three rows per user on a coarse time grid (ties on event time, broken by created time).</summary>
    private static async Task GenerateAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            COPY (
                SELECT (i % {Users})::BIGINT AS user_id,
                       TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_hours((hash(i, 1) % 3)::BIGINT) AS ts,
                       TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds((hash(i, 2) % 100000)::BIGINT) AS created,
                       (hash(i, 3) % 1000000)::BIGINT AS a,
                       (hash(i, 4) % 1000)::DOUBLE / 7 AS b,
                       'v' || (hash(i, 5) % 100)::VARCHAR AS c
                FROM range({Users * 3}) t(i)
            ) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet);
            """;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The reference: every row of the sampled users, the greatest (event, created) kept, in plain C#.</summary>
    private static async Task<Dictionary<long, (long EventMicros, long A)>> NaiveLatestAsync(string path, long[] users)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT user_id, ts, created, a FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}') WHERE user_id IN ({string.Join(",", users)})";
        await using var reader = await command.ExecuteReaderAsync();
        var best = new Dictionary<long, (long Event, long Created, long A)>();
        while (await reader.ReadAsync())
        {
            var user = reader.GetInt64(0);
            var row = (Micros(reader.GetValue(1)), Micros(reader.GetValue(2)), reader.GetInt64(3));
            if (!best.TryGetValue(user, out var current) || row.Item1 > current.Event || (row.Item1 == current.Event && row.Item2 > current.Created))
            {
                best[user] = row;
            }
        }

        return best.ToDictionary(kv => kv.Key, kv => (kv.Value.Event, kv.Value.A));
    }

    private static long Micros(object value) => value is DateTimeOffset d
        ? UtcMicros.From(d)
        : UtcMicros.From(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc));
}

public sealed class EmbeddedMaterializationCrashTests : MaterializationCrashTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisMaterializationCrashTests(RedisServer redis) : MaterializationCrashTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterMaterializationCrashTests(RedisCluster cluster) : MaterializationCrashTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{cluster.ConnectionString}\"}}";
}
