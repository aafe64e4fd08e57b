using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Granary.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnlineServing;

/// <summary>Materialization from the offline engine into the embedded online store, and online reads, end to end.</summary>
public sealed class MaterializeAndServeTests
{
    // user_stats (ttl 2d): user 1 has rows at 11-01 (orders 3, then a later-created correction 5) and 11-03 (orders 7).
    private const string UserStats = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        1,2026-11-01T00:00:00Z,2026-11-01T09:00:00Z,5,130.0
        1,2026-11-03T00:00:00Z,2026-11-03T00:05:00Z,7,
        2,2026-10-20T00:00:00Z,2026-10-20T00:05:00Z,0,0.0
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The repository applied, with a store whose clock stands at <paramref name="now"/> (by default <see cref="Now"/>).</summary>
    private static async Task<(TempRepository Repo, FeatureStore Store)> AppliedAsync(DateTimeOffset? now = null)
    {
        var repo = SampleRepository.Create().Write("data/user_stats.csv", UserStats);
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(now ?? Now)).Build();
        await store.ApplyAsync();
        return (repo, store);
    }

    private static OnlineFeaturesRequest Users(params object?[] ids) => new()
    {
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = ids },
        Features = ["user_stats:orders_7d", "user_stats:spend_7d"],
    };

    [Fact]
    public async Task Materialize_loads_the_latest_row_per_entity_and_reads_report_statuses()
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await using var _s = store;

        var results = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats"]);
        var response = await store.GetOnlineFeaturesAsync(Users(1L, "2", 3));

        Assert.Equal(2, Assert.Single(results).Rows);
        Assert.Equal(["user_id", "orders_7d", "spend_7d"], response.FeatureNames);
        Assert.Equal([1L, 2L, 3L], response.Results[0].Values.ToArray().Select(v => v.AsInt64()));
        var orders = response["orders_7d"];
        Assert.Equal(7, orders.Values[0].AsInt64());
        Assert.Equal(FeatureStatus.Present, orders.Statuses[0]);
        Assert.Equal(UtcMicros.From(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)), orders.EventTimestamps[0]);
        Assert.Equal(FeatureStatus.NullValue, response["spend_7d"].Statuses[0]);
        Assert.Equal(FeatureStatus.OutsideMaxAge, orders.Statuses[1]);   // 15 days old, ttl 2d
        Assert.True(orders.Values[1].IsNull);
        Assert.Equal(FeatureStatus.NotFound, orders.Statuses[2]);
    }

    [Fact]
    public async Task An_interval_ending_before_later_rows_takes_the_latest_row_in_it_with_ties_broken_by_created_time()
    {
        var (repo, store) = await AppliedAsync(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
        using var _r = repo;
        await using var _s = store;

        await store.MaterializeAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), ["user_stats"]);
        var value = await store.GetOnlineValueAsync("user_stats:orders_7d:1");

        Assert.Equal((5L, FeatureStatus.Present), (value.Value.AsInt64(), value.Status));
    }

    [Fact]
    public async Task Re_materializing_an_older_interval_never_overwrites_newer_values()
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await using var _s = store;
        var end = new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, end, ["user_stats"]);

        var again = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), ["user_stats"]);
        var replay = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, end, ["user_stats"]);

        Assert.Equal(0, again.Single().Written);
        Assert.Equal(0, replay.Single().Written);
        Assert.Equal(7, (await store.GetOnlineValueAsync("user_stats:orders_7d:1")).Value.AsInt64());
    }

    [Fact]
    public async Task Incremental_materialization_continues_from_each_views_watermark()
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await using var _s = store;
        var first = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, first, ["user_stats"]);

        var next = await store.MaterializeIncrementalAsync(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats"]);

        var result = next.Single();
        Assert.Equal(first, result.Start);
        Assert.Equal(1, result.Rows);   // only user 1 has a row after the watermark
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), await store.Online.GetWatermarkAsync("user_stats"));
    }

    [Fact]
    public async Task Online_views_only_and_offline_views_are_refused_by_name()
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await using var _s = store;

        var all = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now);
        var e = await Assert.ThrowsAsync<GranaryException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["item_info"]));

        Assert.Equal(["user_stats"], all.Select(r => r.View));
        Assert.Contains("online: false", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unequal")]
    [InlineData("missing_key")]
    [InlineData("bad_type")]
    [InlineData("unknown_feature")]
    public async Task Bad_requests_name_the_field(string mistake)
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await using var _s = store;
        var request = mistake switch
        {
            "unequal" => new OnlineFeaturesRequest { Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L], ["item_id"] = ["A1"] }, Features = ["user_stats:orders_7d"] },
            "missing_key" => new OnlineFeaturesRequest { Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] }, Features = ["item_info:price"] },
            "bad_type" => Users(1L, "not-a-number"),
            _ => new OnlineFeaturesRequest { Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] }, Features = ["user_stats:orders_30d"] },
        };
        var expected = mistake switch
        {
            "unequal" => "lists of unequal length",
            "missing_key" => "missing join key 'item_id'",
            "bad_type" => "entities.user_id[1]",
            _ => "Did you mean 'user_stats:orders_7d'?",
        };

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.GetOnlineFeaturesAsync(request));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_materializes_and_prints_feast_json()
    {
        var (repo, store) = await AppliedAsync();
        using var _r = repo;
        await store.DisposeAsync();

        // The day after the latest row (2026-11-03, ttl 2d) it is served; three days after, it is withheld and dated.
        var clock = new FakeTimeProvider(Now);
        var materialize = await CliRunner.RunAsync(clock, "materialize", "2026-01-01", "2026-11-04", "--repo", repo.Root);
        var fresh = await CliRunner.RunAsync(clock, "get-online", "--entity", "user_id=1", "--features", "user_stats:orders_7d", "--repo", repo.Root);
        clock.Advance(TimeSpan.FromDays(2));
        var online = await CliRunner.RunAsync(clock, "get-online", "--entity", "user_id=1", "--entity", "user_id=3", "--features", "user_stats:orders_7d", "--repo", repo.Root);
        var bad = await CliRunner.RunAsync(clock, "get-online", "--entity", "user_id", "--features", "user_stats:orders_7d", "--repo", repo.Root);

        Assert.True(materialize.Exit == 0, materialize.Err);
        Assert.Contains("user_stats: 2 entities", materialize.Out, StringComparison.Ordinal);
        Assert.True(fresh.Exit == 0, fresh.Err);
        using var freshJson = System.Text.Json.JsonDocument.Parse(fresh.Out);
        Assert.Equal("PRESENT", freshJson.RootElement.GetProperty("results")[1].GetProperty("statuses")[0].GetString());
        Assert.Equal(7, freshJson.RootElement.GetProperty("results")[1].GetProperty("values")[0].GetInt64());
        Assert.True(online.Exit == 0, online.Err);
        using var json = System.Text.Json.JsonDocument.Parse(online.Out);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal("OUTSIDE_MAX_AGE", results[1].GetProperty("statuses")[0].GetString());
        Assert.Equal("2026-11-03T00:00:00Z", results[1].GetProperty("event_timestamps")[0].GetString());
        Assert.Equal("NOT_FOUND", results[1].GetProperty("statuses")[1].GetString());
        Assert.Equal(1, results[0].GetProperty("values")[0].GetInt64());
        Assert.Equal(1, bad.Exit);
    }
}
