using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.OnlineServing;
using Granary.Offline.Retrieval;
using Granary.Push;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnlineServing;

/// <summary>Push through the facade: online, offline (logged to the batch source), both; all or nothing.</summary>
public sealed class PushTests
{
    private static Dictionary<string, IReadOnlyList<object?>> Rows(params (long User, string Time, long Orders)[] rows) => new()
    {
        ["user_id"] = rows.Select(r => (object?)r.User).ToList(),
        ["event_timestamp"] = rows.Select(r => (object?)r.Time).ToList(),
        ["orders_7d"] = rows.Select(r => (object?)r.Orders).ToList(),
        ["spend_7d"] = rows.Select(r => (object?)(r.Orders * 10.0)).ToList(),
    };

    private static async Task<(TempRepository Repo, FeatureStore Store)> ApplyPushViewAsync()
    {
        // A view over the push source, so pushed rows reach the online store.
        var repo = SampleRepository.Create().Write("push.yaml", """
            feature_views:
              - name: live_stats
                entities: [user]
                ttl: 0
                source: user_stats_push
                schema: [{name: orders_7d, dtype: int64}, {name: spend_7d, dtype: float64}]
            """);
        var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        return (repo, store);
    }

    private static Task<OnlineFeaturesResponse> ReadAsync(FeatureStore store, params long[] users) => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
    {
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users.Select(u => (object?)u).ToList() },
        Features = ["live_stats:orders_7d"],
    });

    [Fact]
    public async Task Pushed_rows_are_served_online_and_an_older_push_never_overwrites_a_newer_one()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;

        var first = await store.PushAsync(new PushRequest { PushSourceName = "user_stats_push", Columns = Rows((7, "2026-11-05T00:00:00Z", 11), (8, "2026-11-05T00:00:00Z", 2)) });
        var older = await store.PushAsync(new PushRequest { PushSourceName = "user_stats_push", Columns = Rows((7, "2026-11-04T00:00:00Z", 99)) });
        var response = await ReadAsync(store, 7, 8);

        Assert.Equal((2, 2), (first.Rows, first.OnlineWritten));
        Assert.Equal(0, older.OnlineWritten);
        Assert.Equal(["live_stats"], first.Views);
        Assert.Equal([11L, 2L], response["orders_7d"].Values.ToArray().Select(v => v.AsInt64()));
    }

    [Fact]
    public async Task Rows_pushed_offline_appear_in_training_data()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;
        repo.Write("entities.csv", "user_id,event_timestamp\n9,2026-11-06T00:00:00Z\n");

        var result = await store.PushAsync(new PushRequest { PushSourceName = "user_stats_push", Columns = Rows((9, "2026-11-05T12:00:00Z", 4)), To = PushTarget.OnlineAndOffline });
        var training = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = ["user_stats:orders_7d"] });
        var output = Path.Combine(repo.Root, "t.csv");
        await training.WriteAsync(output);

        Assert.True(result.Offline);
        Assert.Single(Directory.GetFiles(Path.Combine(repo.Root, "data", "user_stats.csv.pushed")));
        Assert.EndsWith(",4", File.ReadAllLines(output)[1], StringComparison.Ordinal);
        Assert.Equal(4, (await ReadAsync(store, 9))["orders_7d"].Values[0].AsInt64());
    }

    [Theory]
    [InlineData("bad_value")]
    [InlineData("missing_column")]
    [InlineData("unequal")]
    [InlineData("nan")]
    [InlineData("infinity")]
    [InlineData("text_for_number")]
    [InlineData("epoch_milliseconds")]
    [InlineData("beyond_int64")]
    public async Task A_rejected_push_writes_nothing_anywhere(string mistake)
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;
        var columns = Rows((5, "2026-11-05T00:00:00Z", 1), (6, "2026-11-05T00:00:00Z", 2));
        switch (mistake)
        {
            case "bad_value": columns["orders_7d"] = [1L, "many"]; break;
            case "missing_column": columns.Remove("spend_7d"); break;
            case "nan": columns["spend_7d"] = [1.0, double.NaN]; break;
            case "infinity": columns["spend_7d"] = [1.0, double.PositiveInfinity]; break;
            case "text_for_number": columns["spend_7d"] = [1.0, "1,5"]; break;
            case "epoch_milliseconds": columns["event_timestamp"] = ["2026-11-05T00:00:00Z", 1_793_491_200_000L]; break;
            case "beyond_int64": columns["orders_7d"] = [1L, 9_223_372_036_854_775_808UL]; break;
            default: columns["user_id"] = [5L]; break;
        }

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest { PushSourceName = "user_stats_push", Columns = columns, To = PushTarget.OnlineAndOffline }));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains(mistake switch
        {
            "bad_value" or "beyond_int64" => "df.orders_7d[1]",
            "nan" or "infinity" or "text_for_number" => "df.spend_7d[1]",
            "epoch_milliseconds" => "df.event_timestamp[1]",
            "missing_column" => "missing column 'spend_7d'",
            _ => "unequal length",
        }, e.Message, StringComparison.Ordinal);
        Assert.All((await ReadAsync(store, 5, 6))["orders_7d"].Statuses.ToArray(), s => Assert.Equal(FeatureStatus.NotFound, s));
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "data", "user_stats.csv.pushed")));
    }

    [Fact]
    public async Task A_push_logged_offline_only_is_checked_as_an_online_one()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;
        var columns = Rows((5, "2026-11-05T00:00:00Z", 1));
        columns["spend_7d"] = [double.NaN];

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest { PushSourceName = "user_stats_push", Columns = columns, To = PushTarget.Offline }));

        Assert.Contains("df.spend_7d[0]", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "data", "user_stats.csv.pushed")));
    }

    [Fact]
    public async Task Materializing_a_null_view_name_is_refused_before_any_view_is_written()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats", null!]));
        var read = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = new object?[] { 1L } },
            Features = ["user_stats:orders_7d"],
        });

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.StartsWith("feature_views[1]:", e.Message, StringComparison.Ordinal);
        Assert.Equal(FeatureStatus.NotFound, read["orders_7d"].Statuses[0]);
    }

    [Fact]
    public async Task Unknown_and_non_push_sources_are_refused()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;

        var unknown = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest { PushSourceName = "user_stats_psh", Columns = Rows((1, "2026-11-05T00:00:00Z", 1)) }));
        var batch = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest { PushSourceName = "user_stats_source", Columns = Rows((1, "2026-11-05T00:00:00Z", 1)) }));

        Assert.Contains("Did you mean 'user_stats_push'?", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("not a push source", batch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_to_online_store_writes_one_views_rows()
    {
        var (repo, store) = await ApplyPushViewAsync();
        using var _ = repo;
        await using var __ = store;

        var written = await store.WriteToOnlineStoreAsync("live_stats", Rows((3, "2026-11-05T00:00:00Z", 30)));

        Assert.Equal(1, written);
        Assert.Equal(30, (await ReadAsync(store, 3))["orders_7d"].Values[0].AsInt64());
    }
}
