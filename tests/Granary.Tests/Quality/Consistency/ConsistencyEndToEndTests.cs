using System.Net;
using System.Text.Json;
using Granary.Consistency;
using Granary.Core.Errors;
using Granary.Monitoring;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Granary.Tests.Quality.Alerts;
using Granary.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Consistency;

/// <summary>
/// Online/offline consistency end to end on DuckDB: a repository sampling every served row is applied, materialized
/// and served through the facade; a new store then re-joins the logged rows offline at their served instants.
/// </summary>
public sealed class ConsistencyEndToEndTests
{
    // user 1: spend_7d empty, so neither side has it; user 4 has both features.
    private const string Materialized = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-03T00:00:00Z,2026-11-03T00:05:00Z,7,
        4,2026-11-03T12:00:00Z,2026-11-03T12:05:00Z,2,12.5
        """;

    // Rows that arrive after the materialization and before serving: user 4 changes, user 5 appears.
    private const string Later = """
        4,2026-11-04T05:00:00Z,2026-11-04T05:05:00Z,3,20.0
        5,2026-11-04T05:30:00Z,2026-11-04T05:35:00Z,1,1.0
        """;

    private const string Start = "2026-11-04T05:00:00Z";
    private const string End = "2026-11-04T07:00:00Z";

    private static readonly DateTimeOffset Now = new(2026, 11, 4, 6, 0, 0, TimeSpan.Zero);

    private static readonly ConsistencyRequest Period = new() { View = "user_stats", Start = Now.AddHours(-1), End = Now.AddHours(1) };

    // Materializes the first rows, optionally lets the source move on, then serves user 1, 4 and 5 and, a minute later, 4 again.
    private static async Task<TempRepository> ServeAsync(bool sourceMovesOn, string? alerts = null)
    {
        var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\nmonitoring: {serving_sample_rate: 1.0}\n")
            .Write("data/user_stats.csv", Materialized);
        if (alerts is not null)
        {
            repo.Write("alerts.yaml", alerts);
        }

        var time = new FakeTimeProvider(Now);
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);
        if (sourceMovesOn)
        {
            repo.Write("data/user_stats.csv", Materialized.TrimEnd() + "\n" + Later);
        }

        await ServeAsync(store, 1L, 4L, 5L);
        time.Advance(TimeSpan.FromMinutes(1));
        await ServeAsync(store, 4L);
        return repo;
    }

    private static Task ServeAsync(FeatureStore store, params object?[] users) =>
        store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = users },
            Features = ["user_stats:orders_7d", "user_stats:spend_7d"],
        });

    private static async Task<ConsistencyReport> ConsistencyAsync(TempRepository repo, ConsistencyRequest request)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await store.ConsistencyAsync(request);
    }

    [Fact]
    public async Task Values_served_from_a_fresh_online_store_agree_with_the_offline_re_join()
    {
        using var repo = await ServeAsync(sourceMovesOn: false);

        var report = await ConsistencyAsync(repo, Period);

        Assert.Equal(4, report.Rows);
        Assert.Equal(1.0, report.Consistency);
        var orders = report.Features.Single(f => f.Name == "orders_7d");
        var spend = report.Features.Single(f => f.Name == "spend_7d");
        // user 5 has no value on either side; user 1's spend neither.
        Assert.Equal((3L, 3L), (orders.Compared, orders.Matches));
        Assert.Equal((2L, 2L), (spend.Compared, spend.Matches));
        Assert.Empty(orders.Examples);
    }

    [Fact]
    public async Task A_stale_online_store_shows_mismatches_and_missing_values_with_examples()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);

        var report = await ConsistencyAsync(repo, Period);

        var orders = report.Features.Single(f => f.Name == "orders_7d");
        var spend = report.Features.Single(f => f.Name == "spend_7d");
        // orders_7d: user 1 matches, user 4 (twice) served 2 where offline says 3, user 5 served nothing where offline has 1.
        Assert.Equal((4L, 1L, 2L, 1L, 0L), (orders.Compared, orders.Matches, orders.Mismatches, orders.Missing, orders.Extra));
        Assert.Equal((0.25, 0.5, 0.25, 0.0), (orders.Consistency!.Value, orders.MismatchRate!.Value, orders.MissingRate!.Value, orders.ExtraRate!.Value));
        // spend_7d: user 1 has none on either side; user 4 twice 12.5 against 20.0; user 5 missing.
        Assert.Equal((3L, 0L, 2L, 1L), (spend.Compared, spend.Matches, spend.Mismatches, spend.Missing));
        Assert.Equal((0.25 + 0.0) / 2, report.Consistency!.Value, 12);
        var examples = orders.Examples.Select(e => (Convert.ToInt64(e.Entity["user_id"]), e.ServedAt, e.Served is null ? (long?)null : Convert.ToInt64(e.Served), Convert.ToInt64(e.Offline))).ToList();
        Assert.Equal([(4L, Now, 2L, 3L), (5L, Now, null, 1L), (4L, Now.AddMinutes(1), 2L, 3L)], examples);
    }

    [Fact]
    public async Task Bad_requests_and_an_empty_log_are_clear_errors()
    {
        using var repo = await ServeAsync(sourceMovesOn: false);

        var unknown = await Assert.ThrowsAsync<GranaryException>(() => ConsistencyAsync(repo, Period with { View = "user_stat" }));
        var backwards = await Assert.ThrowsAsync<GranaryException>(() => ConsistencyAsync(repo, Period with { End = Period.Start }));
        var empty = await Assert.ThrowsAsync<GranaryException>(() => ConsistencyAsync(repo, Period with { Start = Now.AddDays(-2), End = Now.AddDays(-1) }));

        Assert.Equal("not_found", unknown.Code);
        Assert.Equal("invalid_argument", backwards.Code);
        Assert.Contains("must end after it starts", backwards.Message, StringComparison.Ordinal);
        Assert.Equal("not_found", empty.Code);
        Assert.Contains("monitoring.serving_sample_rate", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alert_probe_reads_the_overall_consistency_and_nothing_for_an_empty_period()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);
        await using var store = FeatureStore.Open(repo.Root);
        var probe = new ServingLogConsistencyProbe(store);

        var measured = await probe.MeasureAsync("user_stats", Period.Start, Period.End, CancellationToken.None);
        var nothing = await probe.MeasureAsync("user_stats", Now.AddDays(-2), Now.AddDays(-1), CancellationToken.None);

        Assert.Equal((await store.ConsistencyAsync(Period)).Consistency, measured);
        Assert.True(measured < 0.99);
        Assert.Null(nothing);
    }

    [Theory]
    [InlineData(true, "0.125")]
    [InlineData(false, null)]
    public async Task A_consistency_below_alert_fires_on_a_stale_online_store_only(bool sourceMovesOn, string? firedValue)
    {
        await using var hook = new WebhookReceiver();
        using var repo = await ServeAsync(sourceMovesOn, $"alerts:\n  - {{name: agree, views: [user_stats], when: {{consistency_below: 0.99}}, webhook: '{hook.Url("/h")}'}}\n");
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now.AddMinutes(30))).Build();
        await using var webhooks = AlertWebhooks.CreateProvider();
        var monitor = new AlertMonitor(store, webhooks.GetRequiredService<IHttpClientFactory>(), new CapturedLog(), _ => null, new ServingLogConsistencyProbe(store));

        await monitor.RunAsync();

        Assert.Equal(firedValue, hook.Received.Select(r => (string?)r.Body["value"]).SingleOrDefault());
    }

    [Fact]
    public async Task The_cli_and_the_endpoint_answer_the_same_json()
    {
        using var repo = await ServeAsync(sourceMovesOn: true);

        var json = await CliRunner.RunAsync("consistency", "user_stats", "--repo", repo.Root, "--start", Start, "--end", End, "--format", "json");
        var text = await CliRunner.RunAsync("consistency", "user_stats", "--repo", repo.Root, "--start", Start, "--end", End);
        var empty = await CliRunner.RunAsync("consistency", "user_stats", "--repo", repo.Root, "--start", "2026-11-01", "--end", "2026-11-02");

        Assert.True(json.Exit == 0, json.Err);
        using var document = JsonDocument.Parse(json.Out);
        var root = document.RootElement;
        Assert.Equal(("user_stats", 4), (root.GetProperty("view").GetString(), root.GetProperty("rows").GetInt32()));
        var orders = root.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "orders_7d");
        Assert.Equal((4, 1, 0.5, 0.25), (orders.GetProperty("compared").GetInt32(), orders.GetProperty("matches").GetInt32(), orders.GetProperty("mismatch_rate").GetDouble(), orders.GetProperty("missing_rate").GetDouble()));
        Assert.Equal(3, orders.GetProperty("examples").GetArrayLength());
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains("orders_7d", text.Out, StringComparison.Ordinal);
        Assert.Contains("user_id=4 at 2026-11-04 06:00:00Z: served 2, offline 3", text.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, empty.Exit);
        Assert.Contains("monitoring.serving_sample_rate", empty.Err, StringComparison.Ordinal);

        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
        var (ok, body) = await GetAsync(client, $"api/v1/monitoring/consistency/user_stats?start={Start}&end={End}");
        var (unknown, unknownBody) = await GetAsync(client, $"api/v1/monitoring/consistency/nope?start={Start}&end={End}");
        var (bad, badBody) = await GetAsync(client, $"api/v1/monitoring/consistency/user_stats?start=later&end={End}");

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(JsonSerializer.Serialize(root), JsonSerializer.Serialize(body));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown, unknownBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (bad, badBody.GetProperty("error").GetString()));
        Assert.Contains("start: 'later' is not a time", badBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode, JsonElement)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
