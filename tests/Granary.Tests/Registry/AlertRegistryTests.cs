using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Registry.Loading;
using Granary.Registry.Planning;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Registry;

/// <summary>
/// Alerts as registry objects: planned and applied like the other kinds with a field diff and history, stored in
/// canonical JSON with the webhook as written, and shown only redacted.
/// </summary>
public sealed class AlertRegistryTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";

    private static string StaleAlert(string webhook, string cooldown = "1h") =>
        $"alerts:\n  - name: stats_stale\n    views: [user_stats]\n    when: {{stale: true}}\n    webhook: '{webhook}'\n    cooldown: {cooldown}\n";

    [Fact]
    public async Task Plan_and_apply_add_change_and_remove_an_alert_and_history_records_each()
    {
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert("https://hooks.example.com/a"));
        await using var store = FeatureStore.Open(repo.Root);

        var added = await store.PlanAsync();
        var add = Assert.Single(added.Changes, c => c.Kind == ObjectKind.Alert);
        Assert.Equal(("stats_stale", ChangeAction.Add), (add.Name, add.Action));
        await store.ApplyAsync(added);
        var applied = Assert.Single((await store.GetRegistryAsync()).Definitions.Alerts);
        Assert.Equal(new AlertCondition(AlertConditionKind.Stale), applied.Condition);

        repo.Write("alerts.yaml", StaleAlert("https://hooks.example.com/a", cooldown: "30m").Replace("{stale: true}", "{drift_severity: high}", StringComparison.Ordinal));
        var changed = await store.PlanAsync();
        var update = Assert.Single(changed.Changes);
        Assert.Equal((ObjectKind.Alert, ChangeAction.Update), (update.Kind, update.Action));
        Assert.Contains(update.Properties, p => p.ToString() == "cooldown: 1h -> 30m");
        Assert.Contains(update.Properties, p => p.Path == "when.drift_severity" && p.NewValue == "high");
        Assert.Contains(update.Properties, p => p.Path == "when.stale" && p.NewValue is null);
        await store.ApplyAsync(changed);
        Assert.Equal(TimeSpan.FromMinutes(30), Assert.Single((await store.GetRegistryAsync()).Definitions.Alerts).Cooldown);

        File.Delete(Path.Combine(repo.Root, "alerts.yaml"));
        var removed = await store.PlanAsync();
        var remove = Assert.Single(removed.Changes);
        Assert.Equal((ObjectKind.Alert, "stats_stale", ChangeAction.Remove), (remove.Kind, remove.Name, remove.Action));
        await store.ApplyAsync(removed);

        Assert.Empty((await store.GetRegistryAsync()).Definitions.Alerts);
        var history = await store.GetHistoryAsync();
        Assert.Equal([3L, 2L, 1L], history.Select(h => h.Version));
        Assert.Equal(ChangeAction.Remove, Assert.Single(history[0].Changes).Action);
        Assert.Equal((ObjectKind.Alert, ChangeAction.Update), (Assert.Single(history[1].Changes).Kind, history[1].Changes[0].Action));
        Assert.Contains(history[2].Changes, c => (c.Kind, c.Name, c.Action) == (ObjectKind.Alert, "stats_stale", ChangeAction.Add));
        Assert.Contains("\"cooldown\":\"30m\"", history[1].Definitions, StringComparison.Ordinal);
        Assert.DoesNotContain("\"alerts\"", history[0].Definitions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_lists_describes_and_dumps_alerts_redacted_and_history_names_them()
    {
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert("https://hooks.example.com/services/" + Secret));
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);

        var list = await CliRunner.RunAsync("alerts", "list", "--repo", repo.Root);
        var describe = await CliRunner.RunAsync("alerts", "describe", "stats_stale", "--repo", repo.Root);
        var dump = await CliRunner.RunAsync("registry-dump", "--repo", repo.Root);
        var history = await CliRunner.RunAsync("history", "--repo", repo.Root);

        Assert.Equal((0, 0, 0, 0), (list.Exit, describe.Exit, dump.Exit, history.Exit));
        Assert.Contains("stats_stale", list.Out, StringComparison.Ordinal);
        Assert.Contains("stale: true", list.Out, StringComparison.Ordinal);
        Assert.Contains("https://hooks.example.com/…", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"webhook\": \"https://hooks.example.com/…\"", describe.Out, StringComparison.Ordinal);
        Assert.Contains("\"alerts\"", dump.Out, StringComparison.Ordinal);
        Assert.Contains("+ alert stats_stale", history.Out, StringComparison.Ordinal);
        foreach (var output in new[] { list.Out, describe.Out, dump.Out, history.Out })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_plan_shows_a_changed_webhook_only_redacted()
    {
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert("https://hooks.example.com/old/" + Secret));
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        repo.Write("alerts.yaml", StaleAlert("https://hooks.example.com/new/" + Secret + "2"));
        var sameHost = Assert.Single((await store.PlanAsync()).Changes);
        repo.Write("alerts.yaml", StaleAlert("https://other.example.com/" + Secret));
        var otherHost = Assert.Single((await store.PlanAsync()).Changes);

        Assert.Equal("webhook: https://hooks.example.com/… -> https://hooks.example.com/… (another URL on the same host)", Assert.Single(sameHost.Properties).ToString());
        Assert.Equal("webhook: https://hooks.example.com/… -> https://other.example.com/…", Assert.Single(otherHost.Properties).ToString());
    }

    [Fact]
    public async Task A_webhook_variable_is_stored_unexpanded_and_its_secret_never_reaches_the_registry_file()
    {
        using var repo = SampleRepository.Create().Write("alerts.yaml", StaleAlert("${GRANARY_TEST_ALERT_HOOK}"));
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
            var stored = (await store.GetRegistryAsync()).Find(ObjectKind.Alert, "stats_stale")!;
            Assert.Contains("\"webhook\":\"${GRANARY_TEST_ALERT_HOOK}\"", stored.Spec, StringComparison.Ordinal);
        }

        // The secret only ever lives in the environment the monitor is given: fire once through it, then read every
        // byte the registry wrote (its WAL included).
        await using var hook = new Quality.Alerts.WebhookReceiver();
        var environment = new Dictionary<string, string> { ["GRANARY_TEST_ALERT_HOOK"] = hook.Url("/hooks/" + Secret) };
        await using (var webhooks = Granary.Monitoring.AlertWebhooks.CreateProvider())
        await using (var store = FeatureStore.Open(repo.Root))
        {
            var monitor = new Granary.Monitoring.AlertMonitor(store, webhooks.GetRequiredService<IHttpClientFactory>(), new CapturedLog(), environment.GetValueOrDefault);
            Assert.Equal(1, (await monitor.RunAsync()).Fired);
        }

        Assert.Equal("/hooks/" + Secret, Assert.Single(hook.Received).Path);
        var registryFiles = Directory.GetFiles(Path.Combine(repo.Root, "data"), "registry.db*");
        Assert.NotEmpty(registryFiles);
        var everything = string.Concat(registryFiles.Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.Contains("${GRANARY_TEST_ALERT_HOOK}", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
    }

    public static TheoryData<string, AlertCondition> Conditions() => new()
    {
        { "{drift_severity: medium}", new AlertCondition(AlertConditionKind.DriftSeverity, Severity: "medium") },
        { "{stale: true}", new AlertCondition(AlertConditionKind.Stale) },
        { "{very_stale: true}", new AlertCondition(AlertConditionKind.VeryStale) },
        { "{validation_failed: true}", new AlertCondition(AlertConditionKind.ValidationFailed) },
        { "{consistency_below: 0.995}", new AlertCondition(AlertConditionKind.ConsistencyBelow, Threshold: 0.995) },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Canonical_json_of_an_alert_round_trips(string when, AlertCondition condition)
    {
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml",
            $"alerts:\n  - name: a\n    views: [user_stats, item_info]\n    when: {when}\n    webhook: '${{HOOK}}'\n    cooldown: 90m\n    description: watch it\n    owner: ml-team\n    tags: {{tier: one}}\n");
        var loaded = RepositoryLoader.Load(repo.Root);
        Assert.Empty(loaded.Diagnostics);
        var alert = Assert.Single(loaded.Definitions.Alerts);
        Assert.Equal(condition, alert.Condition);

        var json = CanonicalJson.Serialize(alert);
        var read = Assert.IsType<Alert>(CanonicalJsonReader.Read(ObjectKind.Alert, json));

        Assert.Equal(json, CanonicalJson.Serialize(read));
        Assert.Equal(condition, read.Condition);
        Assert.Equal(["user_stats", "item_info"], read.Views);
        Assert.Equal(("${HOOK}", TimeSpan.FromMinutes(90), "watch it", "ml-team", "one"), (read.Webhook, read.Cooldown, read.Description, read.Owner, read.Tags["tier"]));
    }

    [Fact]
    public void An_alert_in_csharp_has_the_same_canonical_form_as_in_yaml()
    {
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml",
            "alerts:\n  - {name: drifts, views: [user_stats], when: {drift_severity: high}, webhook: '${HOOK}', cooldown: 2h, description: big drift}\n");
        var fromYaml = Assert.Single(RepositoryLoader.Load(repo.Root).Definitions.Alerts);

        var definitions = new RepositoryBuilder()
            .Alert("drifts", a => a.Views("user_stats").WhenDriftSeverity("high").Webhook("${HOOK}").Cooldown(TimeSpan.FromHours(2)).Description("big drift"))
            .Build();

        Assert.Equal(CanonicalJson.Serialize(fromYaml), CanonicalJson.Serialize(Assert.Single(definitions.Alerts)));
    }

    [Theory]
    [InlineData("severe", "hooks.example.com/" + Secret, "'drift_severity' is 'severe'")]
    [InlineData("high", "hooks.example.com/" + Secret, "Invalid webhook of alert 'a': not an absolute http or https URL")]
    public void The_csharp_builder_rejects_a_bad_alert_at_the_callers_line_without_the_webhook(string severity, string webhook, string message)
    {
        var e = Assert.Throws<GranaryException>(() => new RepositoryBuilder().Alert("a", a => a.WhenDriftSeverity(severity).Webhook(webhook)));

        Assert.Equal(ErrorCodes.InvalidDefinition, e.Code);
        Assert.Contains("AlertRegistryTests.cs:", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csharp_alert_on_an_unknown_view_is_reported_at_its_line()
    {
        using var repo = SampleRepository.Create();
        await using var store = FeatureStore.Open(repo.Root);
        var builder = new RepositoryBuilder().Alert("a", a => a.Views("user_statz").WhenStale().Webhook("https://h.example.com/x"));

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync(builder.Build(), builder.Locations));

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("Alert 'a' watches unknown feature view 'user_statz'", d.Message, StringComparison.Ordinal);
        Assert.EndsWith("AlertRegistryTests.cs", d.Location!.Value.File, StringComparison.Ordinal);
    }
}
