using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Alerts;
using Granary.Registry.Loading;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>
/// The repository's <c>alerts:</c> list: what loads, and every mistake reported at its own line without the
/// webhook's secret.
/// </summary>
public sealed class AlertDefinitionTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";

    private static async Task<Diagnostic> SingleMistakeAsync(string yaml)
    {
        using var repo = SampleRepository.Create();
        repo.Write("alerts.yaml", yaml);
        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("alerts.yaml", d.Location!.Value.File);
        Assert.DoesNotContain(Secret, d.Message, StringComparison.Ordinal);
        return d;
    }

    [Fact]
    public void Alerts_load_with_their_condition_views_and_cooldown()
    {
        using var repo = SampleRepository.Create();
        repo.Write("alerts.yaml", $$"""
            alerts:
              - name: stats_stale
                views: [user_stats]
                when: {stale: true}
                webhook: https://hooks.example.com/services/{{Secret}}
                cooldown: 30m
              - name: any_drift
                views: '*'
                when: {drift_severity: medium}
                webhook: ${ALERT_HOOK}
              - name: agreement
                when:
                  consistency_below: 0.995
                webhook: http://127.0.0.1:9/hook
                description: online and offline agree
            """);

        var loaded = RepositoryLoader.Load(repo.Root);

        Assert.Empty(loaded.Diagnostics);
        Assert.Collection(
            loaded.Definitions.Alerts,
            a =>
            {
                Assert.Equal("stats_stale", a.Name);
                Assert.Equal(["user_stats"], a.Views);
                Assert.Equal(AlertConditionKind.Stale, a.Condition.Kind);
                Assert.Equal(TimeSpan.FromMinutes(30), a.Cooldown);
                Assert.True(a.Watches("user_stats"));
                Assert.False(a.Watches("item_info"));
                Assert.Equal(new SourceLocation("alerts.yaml", 2, 5), loaded.Locations.Of(a));
            },
            a =>
            {
                Assert.Empty(a.Views);
                Assert.True(a.Watches("item_info"));
                Assert.Equal("drift_severity: medium", a.Condition.ToString());
                Assert.Equal("${ALERT_HOOK}", a.Webhook);
                Assert.Equal(Alert.DefaultCooldown, a.Cooldown);
            },
            a =>
            {
                Assert.Equal(0.995, a.Condition.Threshold);
                Assert.Equal("online and offline agree", a.Description);
            });
    }

    [Theory]
    [InlineData("alerts:\n  - name: a\n    views: [user_statz]\n    when: {stale: true}\n    webhook: https://h.example.com/x\n", 3, "unknown feature view 'user_statz'; did you mean 'user_stats'?")]
    [InlineData("alerts:\n  - name: a\n    when: {stail: true}\n    webhook: https://h.example.com/x\n", 3, "Unknown key 'stail' in 'when' of alert 'a'; did you mean 'stale'?")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: true, validation_failed: true}\n    webhook: https://h.example.com/x\n", 3, "has 2 conditions; an alert watches one")]
    [InlineData("alerts:\n  - name: a\n    when: {}\n    webhook: https://h.example.com/x\n", 3, "is empty; give one condition")]
    [InlineData("alerts:\n  - name: a\n    webhook: https://h.example.com/x\n", 2, "needs 'when' with one condition")]
    [InlineData("alerts:\n  - name: a\n    when: {drift_severity: severe}\n    webhook: https://h.example.com/x\n", 3, "'severe'; expected low, medium or high")]
    [InlineData("alerts:\n  - name: a\n    when: {consistency_below: 1.5}\n    webhook: https://h.example.com/x\n", 3, "expected a share above 0 and at most 1")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: yes}\n    webhook: https://h.example.com/x\n", 3, "the only value is true")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: true}\n    webhook: https://h.example.com/x\n    cooldown: 1hour\n", 5, "Invalid 'cooldown' of alert 'a': '1hour'")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: true}\n    webhook: hooks.example.com/" + Secret + "\n", 4, "Invalid 'webhook' of alert 'a': not an absolute http or https URL")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: true}\n", 2, "alert 'a' needs 'webhook'")]
    [InlineData("alerts:\n  - name: a\n    when: {stale: true}\n    webhook: https://h.example.com/x\n    severity: high\n", 5, "Unknown key 'severity' in alert 'a'")]
    public async Task A_mistake_is_reported_at_its_line(string yaml, int line, string message)
    {
        var d = await SingleMistakeAsync(yaml);

        Assert.Equal(line, d.Location!.Value.Line);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_defined_twice_is_reported_at_the_second()
    {
        var d = await SingleMistakeAsync(
            "alerts:\n  - {name: a, when: {stale: true}, webhook: 'https://h.example.com/x'}\n  - {name: a, when: {stale: true}, webhook: 'https://h.example.com/y'}\n");

        Assert.Equal(3, d.Location!.Value.Line);
        Assert.Contains("Duplicate alert 'a' (first defined at alerts.yaml:2", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_defined_in_another_file_is_known_to_an_alert()
    {
        using var repo = SampleRepository.Create();
        repo.Write("a_alerts.yaml", "alerts:\n  - {name: a, views: [late_view], when: {stale: true}, webhook: 'https://h.example.com/x'}\n");
        repo.Write("z_views.yaml", "feature_views:\n  - name: late_view\n    source: item_source\n    entities: [item]\n    schema:\n      - {name: price, dtype: float64}\n");

        var loaded = RepositoryLoader.Load(repo.Root);

        Assert.Empty(loaded.Diagnostics);
        Assert.Equal(["late_view"], Assert.Single(loaded.Definitions.Alerts).Views);
    }

    [Theory]
    [InlineData("https://hooks.example.com/services/" + Secret, "https://hooks.example.com/…")]
    [InlineData("https://hooks.example.com:8443/x?token=" + Secret, "https://hooks.example.com:8443/…")]
    [InlineData("https://${HOOK_HOST}/" + Secret, "https://${…}")]
    [InlineData("${ALERT_HOOK}", "${…}")]
    [InlineData("not a url " + Secret, "(invalid URL)")]
    public void A_webhook_is_shown_only_as_its_scheme_and_host(string written, string shown)
    {
        Assert.Equal(shown, WebhookUrl.Redact(written));
    }

    [Fact]
    public void A_webhook_is_expanded_from_the_environment_only_when_sent()
    {
        var environment = new Dictionary<string, string> { ["ALERT_HOOK"] = "https://hooks.example.com/" + Secret };

        Assert.True(WebhookUrl.TryExpand("${ALERT_HOOK}", environment.GetValueOrDefault, out var url, out _));
        Assert.Equal("https://hooks.example.com/" + Secret, url!.ToString());
        Assert.False(WebhookUrl.TryExpand("${OTHER_HOOK}", environment.GetValueOrDefault, out _, out var problem));
        Assert.Equal("the environment variable 'OTHER_HOOK' is not set", problem);
    }
}
