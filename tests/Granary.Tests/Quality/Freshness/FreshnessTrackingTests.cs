using System.Net;
using System.Text.Json;
using Granary.Push;
using Granary.Quality.Freshness;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Granary.Tests.Streaming.EndToEnd;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Freshness;

/// <summary>
/// Freshness end to end: the newest event time that materialization, push and stream ingest write is tracked per view,
/// kept in the registry (another process sees it), classed by the store's clock, and shown by the C# API,
/// <c>granary status</c>, <c>GET /api/v1/monitoring/freshness</c> and the age gauge on <c>/metrics</c>.
/// </summary>
public sealed class FreshnessTrackingTests
{
    // The sample's user_stats rows are dated 2026-11-01 00:00.
    private static readonly DateTimeOffset NewestRow = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static TempRepository HourlyRepository()
    {
        var features = SampleRepository.Features.Replace("    ttl: 2d\n", "    ttl: 2d\n    freshness: hourly\n", StringComparison.Ordinal);
        Assert.NotEqual(SampleRepository.Features, features);
        return SampleRepository.Create().Write("features/shop.yaml", features);
    }

    private static async Task<FeatureStore> OpenAsync(TempRepository repo, TimeProvider clock, bool apply = false)
    {
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build();
        if (apply)
        {
            await store.ApplyAsync();
        }

        return store;
    }

    [Fact]
    public async Task Materialized_rows_make_a_view_fresh_then_stale_then_very_stale_as_the_clock_moves()
    {
        using var repo = HourlyRepository();
        var clock = new FakeTimeProvider(NewestRow.AddHours(1));
        await using var store = await OpenAsync(repo, clock, apply: true);

        var before = (await store.GetFreshnessAsync()).Single(v => v.Name == "user_stats");
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, NewestRow.AddDays(1), ["user_stats"]);
        var fresh = (await store.GetFreshnessAsync()).Single(v => v.Name == "user_stats");
        clock.Advance(TimeSpan.FromHours(3));
        var stale = (await store.GetFreshnessAsync()).Single(v => v.Name == "user_stats");
        clock.Advance(TimeSpan.FromHours(9));
        var veryStale = (await store.GetFreshnessAsync()).Single(v => v.Name == "user_stats");

        Assert.Equal((null, null, FreshnessStatus.VeryStale), (before.NewestEvent, before.Age, before.Status));
        Assert.Equal((NewestRow, TimeSpan.FromHours(1), FreshnessStatus.Fresh), (fresh.NewestEvent, fresh.Age, fresh.Status));
        Assert.Equal((TimeSpan.FromHours(4), FreshnessStatus.Stale), (stale.Age, stale.Status));
        Assert.Equal((TimeSpan.FromHours(13), FreshnessStatus.VeryStale), (veryStale.Age, veryStale.Status));
        Assert.Equal("hourly", fresh.Expectation.Expected);

        // A view that declares nothing is judged daily, and one never written stays very stale.
        var items = (await store.GetFreshnessAsync()).Single(v => v.Name == "item_info");
        Assert.Equal(("daily", null, FreshnessStatus.VeryStale), (items.Expectation.Expected, items.NewestEvent, items.Status));
    }

    [Fact]
    public async Task Pushed_rows_move_the_newest_event_forward_never_back_and_another_process_sees_it()
    {
        // live_stats, over the push source, is online, and written only by pushes.
        using var repo = HourlyRepository().Write("push.yaml", ServedRepository.PushViews);
        var clock = new FakeTimeProvider(NewestRow.AddDays(2));
        await using (var store = await OpenAsync(repo, clock, apply: true))
        {
            await PushAsync(store, NewestRow.AddDays(1), NewestRow.AddHours(5));
            await PushAsync(store, NewestRow.AddHours(2));
        }

        await using var other = await OpenAsync(repo, clock);
        var view = (await other.GetFreshnessAsync()).Single(v => v.Name == "live_stats");

        // live_stats declares no freshness: judged daily, a day old is fresh (up to 25 hours).
        Assert.Equal(NewestRow.AddDays(1), view.NewestEvent);
        Assert.Equal((TimeSpan.FromDays(1), FreshnessStatus.Fresh), (view.Age, view.Status));
    }

    [Fact]
    public async Task A_stream_views_newest_event_is_the_newest_event_its_source_ingested()
    {
        using var repo = await StreamParityRepository.CreateAsync("fresh_stream");
        var clock = new FakeTimeProvider(StreamParityRepository.Noon.AddMinutes(40));
        await using var store = await OpenAsync(repo, clock, apply: true);

        await StreamParityRepository.PushAsync(store, (1, 5, 3.0, "a", "t1"), (2, 30, 5.0, "b", "t2"));
        var view = (await store.GetFreshnessAsync()).Single(v => v.Name == StreamParityRepository.View);

        Assert.Equal(StreamParityRepository.Noon.AddMinutes(30), view.NewestEvent);
        Assert.Equal((TimeSpan.FromMinutes(10), FreshnessStatus.Fresh), (view.Age, view.Status));
    }

    [Fact]
    public async Task Granary_status_prints_every_view_as_json_and_check_fails_while_one_is_not_fresh()
    {
        using var repo = HourlyRepository();
        var clock = new FakeTimeProvider(NewestRow.AddMinutes(30));
        await using (var store = await OpenAsync(repo, clock, apply: true))
        {
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, NewestRow.AddDays(1), ["user_stats"]);
        }

        var json = await CliRunner.RunAsync(clock, "status", "--repo", repo.Root, "--format", "json");
        var text = await CliRunner.RunAsync(clock, "status", "--repo", repo.Root);
        var check = await CliRunner.RunAsync(clock, "status", "--repo", repo.Root, "--check");

        Assert.Equal(0, json.Exit);
        var views = JsonDocument.Parse(json.Out).RootElement.GetProperty("views").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(["item_info", "user_stats"], views.Keys.Order());
        var stats = views["user_stats"];
        Assert.Equal("2026-11-01T00:00:00Z", stats.GetProperty("newest_event").GetString());
        Assert.Equal(1800, stats.GetProperty("age_seconds").GetDouble());
        Assert.Equal(("hourly", "fresh"), (stats.GetProperty("expected").GetString(), stats.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, views["item_info"].GetProperty("newest_event").ValueKind);
        Assert.Equal("very_stale", views["item_info"].GetProperty("status").GetString());
        Assert.Equal(0, text.Exit);
        Assert.Contains("never written", text.Out, StringComparison.Ordinal);
        Assert.Equal(1, check.Exit);
    }

    [Fact]
    public async Task The_server_answers_freshness_and_exports_each_views_age_by_its_clock()
    {
        using var repo = HourlyRepository();
        var clock = new FakeTimeProvider(NewestRow.AddHours(3));
        await using (var store = await OpenAsync(repo, clock, apply: true))
        {
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, NewestRow.AddDays(1), ["user_stats"]);
        }

        await using var server = await ServedRepository.StartAsync(repo.Root, clock);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };
        using var response = await client.GetAsync(new Uri("api/v1/monitoring/freshness", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var stats = body.GetProperty("views").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "user_stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("stale", 3 * 3600.0), (stats.GetProperty("status").GetString(), stats.GetProperty("age_seconds").GetDouble()));

        // The gauge's times come from a poller that runs when the server starts; its ages follow the clock.
        var first = await GaugeAsync(client, TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromHours(1));
        var later = await GaugeAsync(client, TimeSpan.Zero);
        Assert.Equal(3 * 3600.0, first);
        Assert.Equal(4 * 3600.0, later);
    }

    private static async Task<double> GaugeAsync(HttpClient client, TimeSpan wait)
    {
        const string Series = "granary_feature_view_freshness_age_seconds{feature_view=\"user_stats\"} ";
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            var metrics = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(Series, StringComparison.Ordinal));
            if (line is not null)
            {
                return double.Parse(line[Series.Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.True(DateTime.UtcNow < until, "/metrics has no freshness age for user_stats:\n" + metrics);
            await Task.Delay(100);
        }
    }

    private static Task<PushResult> PushAsync(FeatureStore store, params DateTimeOffset[] eventTimes) =>
        store.PushAsync(new PushRequest
        {
            PushSourceName = "user_stats_push",
            Columns = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["user_id"] = eventTimes.Select((_, i) => (object?)(long)(i + 10)).ToList(),
                ["event_timestamp"] = eventTimes.Select(t => (object?)t).ToList(),
                ["created"] = eventTimes.Select(t => (object?)t).ToList(),
                ["orders_7d"] = eventTimes.Select(_ => (object?)1L).ToList(),
                ["spend_7d"] = eventTimes.Select(_ => (object?)2.0).ToList(),
            },
        });
}
