using Granary.Monitoring;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// A <c>drift_severity: high</c> alert end to end on DuckDB: it fires to the webhook on a planted shift in the
/// configured window and stays quiet when the distribution is unchanged.
/// </summary>
public sealed class DriftAlertTests
{
    // Four days of rows five minutes apart from 2026-11-01. The monitor runs at 2026-11-05 00:00 with a window of 12h
    // and a baseline of the 3d before it, so the current period starts at row 1008 (2026-11-04 12:00).
    private static readonly DateTimeOffset Now = new(2026, 11, 5, 0, 0, 0, TimeSpan.Zero);

    private const string Definitions = """
        entities:
          - name: ad
            join_keys: [ad_id]
            value_type: int64
        sources:
          - name: ad_source
            type: file
            path: data/ads.parquet
            timestamp_field: event_timestamp
        feature_views:
          - name: ad_stats
            entities: [ad]
            ttl: 0
            source: ad_source
            online: false
            schema:
              - {name: ctr, dtype: float64}
              - {name: clicks, dtype: int64}
        """;

    // ctr uniform on [0.05, 0.07), moved to [0.09, 0.11) in the current period when shifted; clicks alike throughout.
    private static string Rows(bool shifted) => $"""
        SELECT CAST(i % 50 AS BIGINT) AS ad_id,
            TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_minutes(CAST(i * 5 AS BIGINT)) AS event_timestamp,
            (CASE WHEN {(shifted ? "i >= 1008" : "false")} THEN 0.09 ELSE 0.05 END) + 0.02 * ((hash(i) % 1000003) / 1000003.0) AS ctr,
            CAST(hash(i * 7 + 1) % 50 AS BIGINT) AS clicks
        FROM range(1152) AS t(i)
        """;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task A_high_drift_alert_fires_on_a_planted_shift_and_not_on_an_unchanged_distribution(bool shifted, int firings)
    {
        await using var hook = new WebhookReceiver();
        using var repo = new TempRepository()
            .Write("granary.yaml", "project: ads\nregistry: data/registry.db\nmonitoring: {window: 12h, drift_baseline_window: 3d}\n")
            .Write("features.yaml", Definitions)
            .Write("alerts.yaml", $"alerts:\n  - {{name: ctr_drift, views: [ad_stats], when: {{drift_severity: high}}, webhook: '{hook.Url("/drift")}'}}\n");
        await ParquetFiles.WriteAsync(repo, "data/ads.parquet", Rows(shifted));
        await using var webhooks = AlertWebhooks.CreateProvider();
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();
        var log = new CapturedLog();

        var summary = await new AlertMonitor(store, webhooks.GetRequiredService<IHttpClientFactory>(), log, _ => null).RunAsync();

        Assert.Equal(new AlertRunSummary(1, firings, 0, 0, 0), summary);
        Assert.Equal(firings, hook.Received.Count);
        Assert.Equal(firings, log.WithId(7310).Length);
        if (shifted)
        {
            var (path, body) = Assert.Single(hook.Received);
            Assert.Equal("/drift", path);
            Assert.Equal(("ctr_drift", "ad_stats", "drift_severity"), ((string?)body["alert"], (string?)body["view"], (string?)body["condition"]));
            Assert.Equal(("high", "high"), ((string?)body["value"], (string?)body["threshold"]));
            Assert.Equal("ctr drifts most (high)", (string?)body["details"]);
        }
    }
}
