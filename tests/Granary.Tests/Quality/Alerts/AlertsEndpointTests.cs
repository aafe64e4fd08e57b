using System.Net;
using System.Text.Json;
using Granary.Monitoring;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// <c>GET /api/v1/monitoring/alerts</c> (every alert with its last firing per view and condition) and the registry's
/// <c>GET /api/v1/alerts</c>: both show the webhook only redacted.
/// </summary>
public sealed class AlertsEndpointTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_monitoring_alerts_endpoint_lists_each_alert_with_its_last_firing_per_view_and_the_webhook_redacted()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write("alerts.yaml", $$"""
            alerts:
              - name: stats_stale
                views: [user_stats]
                when: {stale: true}
                webhook: '{{hook.Url("/hooks/" + Secret)}}'
                cooldown: 30m
              - name: any_drift
                when: {drift_severity: high}
                webhook: 'https://${HOOK_HOST}/x'
                description: big drift anywhere
              - name: agreement
                views: [user_stats]
                when: {consistency_below: 0.99}
                webhook: 'https://hooks.example.com/{{Secret}}'
            """);
        var clock = new FakeTimeProvider(Now);
        await using (var webhooks = AlertWebhooks.CreateProvider())
        await using (var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build())
        {
            await store.ApplyAsync();

            // Fires stats_stale (user_stats was never written); the other two cannot be evaluated here and do not fire.
            var monitor = new AlertMonitor(store, webhooks.GetRequiredService<IHttpClientFactory>(), new CapturedLog(), _ => null);
            Assert.Equal(1, (await monitor.RunAsync()).Fired);
        }

        await using var server = await ServedRepository.StartAsync(repo.Root, clock);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };
        using var response = await client.GetAsync(new Uri("api/v1/monitoring/alerts", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        using var registryResponse = await client.GetAsync(new Uri("api/v1/alerts", UriKind.Relative));
        var registryText = await registryResponse.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, registryResponse.StatusCode);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, registryText, StringComparison.Ordinal);
        var alerts = JsonDocument.Parse(text).RootElement.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(["agreement", "any_drift", "stats_stale"], alerts.Select(a => a.GetProperty("name").GetString()));

        var stale = alerts[2];
        Assert.False(stale.GetProperty("all_views").GetBoolean());
        Assert.Equal(["user_stats"], stale.GetProperty("views").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(("stale", JsonValueKind.Null), (stale.GetProperty("condition").GetString(), stale.GetProperty("threshold").ValueKind));
        Assert.Equal(("30m", 1800.0), (stale.GetProperty("cooldown").GetString(), stale.GetProperty("cooldown_seconds").GetDouble()));
        Assert.Equal($"http://127.0.0.1:{hook.Port}/…", stale.GetProperty("webhook").GetString());
        var fired = Assert.Single(stale.GetProperty("firings").EnumerateArray());
        Assert.Equal(("user_stats", "stale: true"), (fired.GetProperty("view").GetString(), fired.GetProperty("condition").GetString()));
        Assert.Equal(Now, fired.GetProperty("last_fired_at").GetDateTimeOffset());

        var drift = alerts[1];
        Assert.True(drift.GetProperty("all_views").GetBoolean());
        Assert.Equal(["item_info", "user_stats"], drift.GetProperty("views").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(("drift_severity", "high", "1h"), (drift.GetProperty("condition").GetString(), drift.GetProperty("threshold").GetString(), drift.GetProperty("cooldown").GetString()));
        Assert.Equal("https://${…}", drift.GetProperty("webhook").GetString());
        Assert.Equal("big drift anywhere", drift.GetProperty("description").GetString());
        Assert.All(drift.GetProperty("firings").EnumerateArray(), f => Assert.Equal(JsonValueKind.Null, f.GetProperty("last_fired_at").ValueKind));
        Assert.Equal(2, drift.GetProperty("firings").GetArrayLength());

        Assert.Equal(("consistency_below", "0.99"), (alerts[0].GetProperty("condition").GetString(), alerts[0].GetProperty("threshold").GetString()));
        Assert.Equal("https://hooks.example.com/…", alerts[0].GetProperty("webhook").GetString());

        var registered = JsonDocument.Parse(registryText).RootElement.GetProperty("alerts").EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "stats_stale");
        Assert.Equal($"http://127.0.0.1:{hook.Port}/…", registered.GetProperty("spec").GetProperty("webhook").GetString());
        Assert.Equal("30m", registered.GetProperty("spec").GetProperty("cooldown").GetString());
    }
}
