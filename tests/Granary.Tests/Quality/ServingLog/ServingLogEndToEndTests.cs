using System.Globalization;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.ServingLog;

/// <summary>
/// The serving log end to end: a repository sampling every served row, applied and materialized, serves through the
/// facade; once the store is disposed the log holds exactly what was served, and retention has run on the flush.
/// </summary>
public sealed class ServingLogEndToEndTests
{
    // user 1: orders 7 with spend empty (served NULL_VALUE); user 2 is 15 days old (ttl 2d: OUTSIDE_MAX_AGE); user 3 unknown.
    private const string UserStats = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-03T00:00:00Z,2026-11-03T00:05:00Z,7,
        2,2026-10-20T00:00:00Z,2026-10-20T00:05:00Z,4,40.0
        4,2026-11-03T12:00:00Z,2026-11-03T12:05:00Z,2,12.5
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 4, 6, 0, 0, TimeSpan.Zero);

    private static TempRepository Repository(string monitoring) =>
        SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\n" + monitoring)
            .Write("data/user_stats.csv", UserStats);

    private static ServingLogTable Table(string root) => new(
        "shop",
        "user_stats",
        root,
        [new Field("user_id", FeatureType.Int64)],
        [new Field("orders_7d", FeatureType.Int64), new Field("spend_7d", FeatureType.Float64)]);

    private static async Task<string> ServeAsync(TempRepository repo, FakeTimeProvider time)
    {
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);
        await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = new object?[] { 1L, 3L, 4L } },
            Features = ["user_stats:orders_7d", "user_stats:spend_7d"],
        });
        time.Advance(TimeSpan.FromMinutes(1));
        await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = new object?[] { 2L } },
            Features = ["user_stats:orders_7d"],
        });
        return store.RepositoryRoot;
    }

    private static async Task<List<string>> ReadLogAsync(string root, DateTimeOffset start, DateTimeOffset end)
    {
        await using IOfflineEngine engine = new DuckDbOfflineEngine();
        await using var rows = await engine.Require<IServingLog>("read the serving log").ReadAsync(Table(root), start, end);
        var read = new List<string>();
        while (await rows.Reader.ReadAsync())
        {
            var values = new string[rows.Reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = rows.Reader.IsDBNull(i) ? "" : rows.Reader.GetValue(i) switch
                {
                    DateTime d => d.ToString("HH:mm", CultureInfo.InvariantCulture),
                    DateTimeOffset d => d.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString()!,
                };
            }

            read.Add(string.Join('|', values));
        }

        return read;
    }

    [Fact]
    public async Task Every_served_row_is_logged_with_its_keys_values_and_found_flags_once_the_store_is_disposed()
    {
        using var repo = Repository("monitoring: {serving_sample_rate: 1.0}");

        var root = await ServeAsync(repo, new FakeTimeProvider(Now));
        var logged = await ReadLogAsync(root, Now.AddHours(-1), Now.AddHours(1));

        // user_id | served_at | orders_7d | spend_7d | orders_7d__found | spend_7d__found
        Assert.Equal(
            [
                "1|06:00|7||True|True",
                "3|06:00|||False|False",
                "4|06:00|2|12.5|True|True",
                "2|06:01|||False|",
            ],
            logged);
    }

    [Fact]
    public async Task A_sample_rate_of_zero_logs_nothing()
    {
        using var repo = Repository("monitoring: {serving_sample_rate: 0}");

        var root = await ServeAsync(repo, new FakeTimeProvider(Now));

        Assert.False(Directory.Exists(Path.Combine(root, "data", "serving_log")));
        Assert.Empty(await ReadLogAsync(root, Now.AddDays(-1), Now.AddDays(1)));
    }

    [Fact]
    public async Task Each_flush_deletes_the_days_the_retention_no_longer_keeps()
    {
        using var repo = Repository("monitoring: {serving_sample_rate: 1.0, serving_log_retention: 7d}");
        await using (IOfflineEngine engine = new DuckDbOfflineEngine())
        {
            var log = engine.Require<IServingLog>("seed the serving log");
            await log.AppendAsync(Table(repo.Root), [
                new ServingLogRecord([8L], Now.AddDays(-10), [1L, 1.0], [true, true]),
                new ServingLogRecord([9L], Now.AddDays(-2), [2L, 2.0], [true, true]),
            ]);
        }

        var root = await ServeAsync(repo, new FakeTimeProvider(Now));
        var keys = (await ReadLogAsync(root, Now.AddDays(-30), Now.AddDays(1))).Select(r => r.Split('|')[0]).ToList();

        Assert.Equal(["9", "1", "3", "4", "2"], keys);
        Assert.False(Directory.Exists(Path.Combine(root, "data", "serving_log", "shop", "user_stats", "date=2026-10-25")));
    }
}
