using System.Net;
using Granary.Monitoring;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// The alert monitor against a real repository and a real webhook receiver: a stale view fires, a fresh one does not,
/// a cool-down holds across processes through the registry, and a failing webhook is logged without its secret and
/// without stopping the other alerts.
/// </summary>
public sealed class AlertMonitorTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    private static async Task<FeatureStore> OpenAsync(TempRepository repo, TimeProvider clock, bool apply = false)
    {
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build();
        if (apply)
        {
            await store.ApplyAsync();
        }

        return store;
    }

    // The production registration (AlertWebhooks): the named client of an IHttpClientFactory.
    private static readonly IHttpClientFactory Webhooks = AlertWebhooks.CreateProvider().GetRequiredService<IHttpClientFactory>();

    private static AlertMonitor Monitor(FeatureStore store, CapturedLog log, Dictionary<string, string>? environment = null) =>
        new(store, Webhooks, log, (environment ?? []).GetValueOrDefault);

    private static string StaleAlert(string webhook, string views = "[user_stats]", string cooldown = "1h") =>
        $"alerts:\n  - name: stats_stale\n    views: {views}\n    when: {{stale: true}}\n    webhook: '{webhook}'\n    cooldown: {cooldown}\n";

    [Fact]
    public async Task A_stale_view_fires_its_webhook_with_the_documented_json_and_a_log_event()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert(hook.Url("/hooks/" + Secret)));
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        await using var store = await OpenAsync(repo, clock, apply: true);

        var summary = await Monitor(store, log).RunAsync();

        Assert.Equal(new AlertRunSummary(1, 1, 0, 0, 0), summary);
        var (path, body) = Assert.Single(hook.Received);
        Assert.Equal("/hooks/" + Secret, path);
        Assert.Equal("stats_stale", (string?)body["alert"]);
        Assert.Equal("user_stats", (string?)body["view"]);
        Assert.Equal("stale", (string?)body["condition"]);
        Assert.Equal("very_stale", (string?)body["value"]);
        Assert.Equal("2026-11-10T12:00:00.0000000Z", (string?)body["fired_at"]);
        Assert.Contains("never written", (string?)body["details"], StringComparison.Ordinal);
        var fired = Assert.Single(log.WithId(7310));
        Assert.Contains($"http://127.0.0.1:{hook.Port}/…", fired.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_view_does_not_fire()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert(hook.Url("/h")));
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        await using var store = await OpenAsync(repo, clock, apply: true);
        await store.MonitoringState.RecordNewestEventsAsync(store.Project, [new("user_stats", Now.AddHours(-1), Now)]);

        var summary = await Monitor(store, log).RunAsync();

        Assert.Equal(new AlertRunSummary(1, 0, 0, 0, 0), summary);
        Assert.Empty(hook.Received);
    }

    [Fact]
    public async Task The_cooldown_suppresses_a_second_firing_within_it_in_another_process_and_allows_it_after()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert(hook.Url("/h"), cooldown: "30m"));
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        await using (var first = await OpenAsync(repo, clock, apply: true))
        {
            Assert.Equal(1, (await Monitor(first, log).RunAsync()).Fired);
        }

        // A second store over the same registry stands in for another process: the cool-down comes from the registry.
        await using var second = await OpenAsync(repo, clock);
        clock.Advance(TimeSpan.FromMinutes(29));
        var within = await Monitor(second, log).RunAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var after = await Monitor(second, log).RunAsync();

        Assert.Equal((0, 1), (within.Fired, within.Suppressed));
        Assert.Equal((1, 0), (after.Fired, after.Suppressed));
        Assert.Equal(
            ["2026-11-10T12:00:00.0000000Z", "2026-11-10T12:30:00.0000000Z"],
            hook.Received.Select(r => (string?)r.Body["fired_at"]));
    }

    [Fact]
    public async Task A_failing_webhook_is_logged_without_its_secret_retried_next_run_and_does_not_stop_other_alerts()
    {
        await using var good = new WebhookReceiver();
        await using var broken = new WebhookReceiver(HttpStatusCode.InternalServerError);
        var refused = $"http://127.0.0.1:{LoopbackPorts.Free()}/refused/{Secret}";
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml",
            "alerts:\n"
            + $"  - {{name: a_refused, views: [user_stats], when: {{stale: true}}, webhook: '{refused}'}}\n"
            + $"  - {{name: b_broken, views: [user_stats], when: {{stale: true}}, webhook: '{broken.Url("/b/" + Secret)}'}}\n"
            + $"  - {{name: c_from_env, views: [user_stats], when: {{stale: true}}, webhook: '${{HOOK_URL}}'}}\n"
            + "  - {name: d_unset_env, views: [user_stats], when: {stale: true}, webhook: '${UNSET_HOOK}'}\n");
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        await using var store = await OpenAsync(repo, clock, apply: true);
        var environment = new Dictionary<string, string> { ["HOOK_URL"] = good.Url("/c/" + Secret) };

        var firstRun = await Monitor(store, log, environment).RunAsync();
        var secondRun = await Monitor(store, log, environment).RunAsync();

        Assert.Equal(new AlertRunSummary(4, 4, 0, 3, 0), firstRun);
        Assert.Equal(new AlertRunSummary(4, 3, 1, 3, 0), secondRun);
        Assert.Equal(["/c/" + Secret], good.Received.Select(r => r.Path));
        Assert.Equal(2, broken.Received.Count);
        var failures = log.WithId(7311);
        Assert.Equal(6, failures.Length);
        Assert.Contains(failures, f => f.Message.Contains("answered 500", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Message.Contains("could not be reached", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Message.Contains("'UNSET_HOOK' is not set", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consistency_alert_without_a_check_is_reported_not_evaluated()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml", $"alerts:\n  - {{name: agree, views: [user_stats], when: {{consistency_below: 0.99}}, webhook: '{hook.Url("/h")}'}}\n");
        var log = new CapturedLog();
        await using var store = await OpenAsync(repo, new FakeTimeProvider(Now), apply: true);

        var summary = await Monitor(store, log).RunAsync();

        Assert.Equal(new AlertRunSummary(0, 0, 0, 0, 1), summary);
        Assert.Contains("no consistency check", Assert.Single(log.WithId(7312)).Message, StringComparison.Ordinal);
        Assert.Empty(hook.Received);
    }

    [Theory]
    [InlineData("max: 0", 1)]
    [InlineData("max: 1000000", 0)]
    public async Task A_failing_validation_rule_over_the_last_day_fires(string bound, int firings)
    {
        // The sample's user_stats rows are dated 2026-11-01 00:00, inside the day before the clock.
        await using var hook = new WebhookReceiver();
        var features = SampleRepository.Features.Replace(
            "{name: orders_7d, dtype: int64}", $"{{name: orders_7d, dtype: int64, validation: [{{rule: range, min: 0, {bound}}}]}}", StringComparison.Ordinal);
        Assert.NotEqual(SampleRepository.Features, features);
        using var repo = SampleRepository.Create().Write("features/shop.yaml", features).Write(
            "alerts.yaml", $"alerts:\n  - {{name: invalid, views: [user_stats], when: {{validation_failed: true}}, webhook: '{hook.Url("/h")}'}}\n");
        var log = new CapturedLog();
        await using var store = await OpenAsync(repo, new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero)), apply: true);

        var summary = await Monitor(store, log).RunAsync();

        Assert.Equal(new AlertRunSummary(1, firings, 0, 0, 0), summary);
        Assert.Equal(firings, hook.Received.Count);
        Assert.All(hook.Received, r => Assert.Equal(("validation_failed", "1"), ((string?)r.Body["condition"], (string?)r.Body["value"])));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("monitoring: {window: 3d}\n", 1)]
    public async Task The_monitor_checks_validation_over_the_configured_window(string monitoring, int firings)
    {
        // The failing rows are dated 2026-11-01 00:00: two and a half days before the clock, outside the default window of 1d.
        await using var hook = new WebhookReceiver();
        var features = SampleRepository.Features.Replace(
            "{name: orders_7d, dtype: int64}", "{name: orders_7d, dtype: int64, validation: [{rule: range, min: 0, max: 0}]}", StringComparison.Ordinal);
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\n" + monitoring)
            .Write("features/shop.yaml", features)
            .Write("alerts.yaml", $"alerts:\n  - {{name: invalid, views: [user_stats], when: {{validation_failed: true}}, webhook: '{hook.Url("/h")}'}}\n");
        await using var store = await OpenAsync(repo, new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero)), apply: true);

        var summary = await Monitor(store, new CapturedLog()).RunAsync();

        Assert.Equal(new AlertRunSummary(1, firings, 0, 0, 0), summary);
        Assert.Equal(firings, hook.Received.Count);
    }
}
