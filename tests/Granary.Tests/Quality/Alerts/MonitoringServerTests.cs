using Granary.Server;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Alerts;

/// <summary><c>granary serve --with-monitoring</c>: the server runs the alerts at start and again every <c>monitoring.schedule</c>.</summary>
public sealed class MonitoringServerTests
{
    private static async Task<TempRepository> RepositoryAsync(WebhookReceiver hook)
    {
        var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\nmonitoring: {schedule: 1s}\n")
            .Write("alerts.yaml", $"alerts:\n  - {{name: stats_stale, views: [user_stats], when: {{stale: true}}, webhook: '{hook.Url("/h")}', cooldown: 0}}\n");
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        return repo;
    }

    [Fact]
    public async Task With_monitoring_the_server_runs_the_alerts_on_the_schedule()
    {
        await using var hook = new WebhookReceiver();
        using var repo = await RepositoryAsync(hook);
        await using var server = new GranaryServer(new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null, WithMonitoring = true });
        await server.StartAsync();

        // A cool-down of 0 fires at every run: two posts mean the schedule came round at least once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hook.Received.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await server.StopAsync();
        Assert.True(hook.Received.Count >= 2, $"{hook.Received.Count} posts in 30 s");
        Assert.All(hook.Received, r => Assert.Equal("stats_stale", (string?)r.Body["alert"]));
    }

    [Fact]
    public async Task Without_monitoring_the_server_runs_no_alerts()
    {
        await using var hook = new WebhookReceiver();
        using var repo = await RepositoryAsync(hook);
        await using var server = new GranaryServer(new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null });
        await server.StartAsync();

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await server.StopAsync();

        Assert.Empty(hook.Received);
    }
}
