using System.Net;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.Alerts;

/// <summary><c>granary monitor run --once</c>: one run, a summary line, and exit 1 only when a webhook failed.</summary>
public sealed class MonitorCliTests
{
    private const string Secret = "T000/B000/XXXXsecretXXXX";

    [Fact]
    public async Task Monitor_run_once_fires_prints_its_summary_and_exits_0()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml", $"alerts:\n  - {{name: stats_stale, views: [user_stats], when: {{stale: true}}, webhook: '{hook.Url("/h")}'}}\n");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, (await CliRunner.RunAsync(clock, "apply", "--repo", repo.Root)).Exit);

        var (exit, output, error) = await CliRunner.RunAsync(clock, "monitor", "run", "--once", "--repo", repo.Root);
        var again = await CliRunner.RunAsync(clock, "monitor", "run", "--once", "--repo", repo.Root);

        Assert.True(exit == 0, error);
        Assert.Contains("2026-11-10 12:00:00Z alerts: 1 evaluated, 1 fired, 0 suppressed by cool-down, 0 failed webhooks", output, StringComparison.Ordinal);
        Assert.Contains("1 evaluated, 0 fired, 1 suppressed by cool-down", again.Out, StringComparison.Ordinal);
        Assert.Equal("stats_stale", (string?)Assert.Single(hook.Received).Body["alert"]);
    }

    [Fact]
    public async Task Monitor_run_once_exits_1_when_a_webhook_fails_and_warns_without_the_secret()
    {
        await using var hook = new WebhookReceiver(HttpStatusCode.ServiceUnavailable);
        using var repo = SampleRepository.Create().Write(
            "alerts.yaml", $"alerts:\n  - {{name: stats_stale, views: [user_stats], when: {{stale: true}}, webhook: '{hook.Url("/h/" + Secret)}'}}\n");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, (await CliRunner.RunAsync(clock, "apply", "--repo", repo.Root)).Exit);

        var (exit, output, error) = await CliRunner.RunAsync(clock, "monitor", "run", "--once", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("1 fired, 0 suppressed by cool-down, 1 failed webhooks", output, StringComparison.Ordinal);
        Assert.Contains($"warning: The webhook http://127.0.0.1:{hook.Port}/… of alert stats_stale failed for view user_stats", error, StringComparison.Ordinal);
        Assert.Contains("answered 503", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + error, StringComparison.Ordinal);
    }
}
