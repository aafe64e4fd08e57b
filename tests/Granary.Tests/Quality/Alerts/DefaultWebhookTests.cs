using Granary.Core.Errors;
using Granary.Monitoring;
using Granary.Registry.Configuration;
using Granary.Registry.Loading;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// <c>monitoring.default_webhook</c> and its <c>feature_store.monitoring_endpoint</c> alias: alerts that name no
/// webhook send to it, looked up when sending (so one registry serves each environment's endpoint), its variables
/// expanded only then.
/// </summary>
public sealed class DefaultWebhookTests
{
    private const string Secret = "T000/B000/XXXXdefaultXXXX";
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly IHttpClientFactory Webhooks = AlertWebhooks.CreateProvider().GetRequiredService<IHttpClientFactory>();

    private const string TwoAlerts = """
        alerts:
          - {name: a_default, views: [user_stats], when: {stale: true}}
          - {name: b_own, views: [user_stats], when: {stale: true}, webhook: '${OWN_HOOK}'}
        """;

    private static AlertMonitor Monitor(FeatureStore store, CapturedLog log, Dictionary<string, string> environment) =>
        new(store, Webhooks, log, environment.GetValueOrDefault);

    [Fact]
    public void The_default_webhook_is_kept_as_written_with_its_variable_unexpanded()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nmonitoring:\n  default_webhook: 'https://hooks.example.com/${UNSET_DEFAULT_HOOK_TOKEN}'\n");

        var config = ConfigParser.Load(repo.Root, _ => null);

        Assert.Equal("https://hooks.example.com/${UNSET_DEFAULT_HOOK_TOKEN}", config.Monitoring.DefaultWebhook);
        Assert.Null(ConfigParser.Load(new TempRepository().Write("granary.yaml", "project: p\n").Root, _ => null).Monitoring.DefaultWebhook);
    }

    [Fact]
    public void A_default_webhook_that_is_not_a_url_is_an_error_at_its_line()
    {
        using var repo = new TempRepository().Write("granary.yaml", "project: p\nmonitoring:\n  schedule: 1h\n  default_webhook: not-a-url\n");

        var error = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, _ => null));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(("granary.yaml", 4), (diagnostic.Location!.Value.File, diagnostic.Location!.Value.Line));
        Assert.Contains("'monitoring.default_webhook'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitoring_endpoint_sets_the_default_and_the_later_file_wins_over_the_explicit_key()
    {
        using var repo = new TempRepository()
            .Write("granary.yaml", "project: p\nmonitoring:\n  default_webhook: https://base.example.com/hook\n")
            .Write("config/prod.yaml", "feature_store:\n  monitoring_endpoint: https://prod.example.com/hook\n")
            .Write("config/dev.yaml", "monitoring:\n  default_webhook: null\n");

        var local = ConfigParser.Load(repo.Root, _ => null);
        var prod = ConfigParser.Load(repo.Root, _ => null, environment: "prod");
        var dev = ConfigParser.Load(repo.Root, _ => null, environment: "dev");

        Assert.Equal("https://base.example.com/hook", local.Monitoring.DefaultWebhook);
        Assert.Equal("https://prod.example.com/hook", prod.Monitoring.DefaultWebhook);
        Assert.Null(dev.Monitoring.DefaultWebhook);
        Assert.DoesNotContain(prod.Warnings, w => w.Message.Contains("monitoring_endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void Monitoring_endpoint_and_default_webhook_in_one_file_is_an_error_naming_both_lines()
    {
        using var repo = new TempRepository().Write(
            "granary.yaml", "project: p\nmonitoring:\n  default_webhook: https://a.example.com/hook\nfeature_store:\n  monitoring_endpoint: https://b.example.com/hook\n");

        var error = Assert.Throws<DefinitionException>(() => ConfigParser.Load(repo.Root, _ => null));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(5, diagnostic.Location!.Value.Line);
        Assert.Contains("line 3", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_may_leave_out_its_webhook_only_when_a_default_exists()
    {
        using var with = new TempRepository()
            .Write("granary.yaml", "project: p\nmonitoring: {default_webhook: 'https://hooks.example.com/x'}\n")
            .Write("alerts.yaml", "alerts:\n  - name: a\n    when: {stale: true}\n");
        using var without = new TempRepository()
            .Write("granary.yaml", "project: p\n")
            .Write("alerts.yaml", "alerts:\n  - name: a\n    when: {stale: true}\n");

        var loaded = RepositoryLoader.Load(ConfigParser.Load(with.Root, _ => null));
        var refused = RepositoryLoader.Load(ConfigParser.Load(without.Root, _ => null));

        Assert.Empty(loaded.Diagnostics);
        Assert.Equal("", Assert.Single(loaded.Definitions.Alerts).Webhook);
        var diagnostic = Assert.Single(refused.Diagnostics);
        Assert.Equal(("alerts.yaml", 2), (diagnostic.Location!.Value.File, diagnostic.Location!.Value.Line));
        Assert.Contains("alert 'a' needs 'webhook'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("monitoring.default_webhook", diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(refused.Definitions.Alerts);
    }

    [Fact]
    public async Task An_alert_without_a_webhook_sends_to_the_default_of_the_configuration_that_runs_the_monitor()
    {
        await using var own = new WebhookReceiver();
        await using var baseHook = new WebhookReceiver();
        await using var prodHook = new WebhookReceiver();
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\nmonitoring:\n  default_webhook: '${BASE_HOOK}'\n")
            .Write("config/prod.yaml", $"feature_store:\n  monitoring_endpoint: '{prodHook.Url("/prod/" + Secret)}'\n")
            .Write("alerts.yaml", TwoAlerts);
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        var environment = new Dictionary<string, string> { ["BASE_HOOK"] = baseHook.Url("/base/" + Secret), ["OWN_HOOK"] = own.Url("/own") };
        await using (var applied = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build())
        {
            await applied.ApplyAsync();
            Assert.Equal(new AlertRunSummary(2, 2, 0, 0, 0), await Monitor(applied, log, environment).RunAsync());
        }

        // The same registry, read by prod's configuration: the alert applied without a webhook follows prod's default.
        clock.Advance(TimeSpan.FromHours(2));
        await using var prod = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).UseEnvironment("prod").Build();
        Assert.Equal(new AlertRunSummary(2, 2, 0, 0, 0), await Monitor(prod, log, environment).RunAsync());

        Assert.Equal(["/base/" + Secret], baseHook.Received.Select(r => r.Path));
        Assert.Equal(["/prod/" + Secret], prodHook.Received.Select(r => r.Path));
        Assert.Equal(["/own", "/own"], own.Received.Select(r => r.Path));
        Assert.All(baseHook.Received.Concat(prodHook.Received), r => Assert.Equal("a_default", (string?)r.Body["alert"]));
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_without_a_webhook_under_a_configuration_with_no_default_fails_its_send_and_says_why()
    {
        await using var own = new WebhookReceiver();
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\nmonitoring:\n  default_webhook: https://hooks.example.com/x\n")
            .Write("config/dev.yaml", "monitoring:\n  default_webhook: null\n")
            .Write("alerts.yaml", TwoAlerts);
        var clock = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        await using (var applied = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).Build())
        {
            await applied.ApplyAsync();
        }

        await using var dev = new FeatureStoreBuilder(repo.Root).UseTimeProvider(clock).UseEnvironment("dev").Build();
        var summary = await Monitor(dev, log, new Dictionary<string, string> { ["OWN_HOOK"] = own.Url("/own") }).RunAsync();

        Assert.Equal(new AlertRunSummary(2, 2, 0, 1, 0), summary);
        Assert.Single(own.Received);
        var failure = Assert.Single(log.WithId(7311));
        Assert.Contains("a_default", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no monitoring.default_webhook", failure.Message, StringComparison.Ordinal);
    }
}
