using Granary.Server;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Alerts;

/// <summary>
/// The monitor reads its alerts from the applied registry: a server started against a folder holding only
/// <c>granary.yaml</c> and the registry (no definitions, no data) still fires them.
/// </summary>
public sealed class AlertsFromRegistryTests
{
    [Fact]
    public async Task Serve_with_monitoring_fires_alerts_from_a_copy_of_only_the_registry_and_granary_yaml()
    {
        await using var hook = new WebhookReceiver();
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", SampleRepository.Config + "\nmonitoring: {schedule: 1h}\n")
            .Write("alerts.yaml", $"alerts:\n  - {{name: stats_stale, views: [user_stats], when: {{stale: true}}, webhook: '{hook.Url("/h")}'}}\n");
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        using var copy = new TempRepository();
        Directory.CreateDirectory(Path.Combine(copy.Root, "data"));
        File.Copy(Path.Combine(repo.Root, "granary.yaml"), Path.Combine(copy.Root, "granary.yaml"));
        File.Copy(Path.Combine(repo.Root, "data", "registry.db"), Path.Combine(copy.Root, "data", "registry.db"));
        Assert.Empty(Directory.GetFiles(copy.Root, "*.csv", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(copy.Root, "*.yaml", SearchOption.AllDirectories));

        await using var server = new GranaryServer(new GranaryServerOptions { RepositoryPath = copy.Root, Port = 0, GrpcPort = null, WithMonitoring = true });
        await server.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hook.Received.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await server.StopAsync();
        var (path, body) = Assert.Single(hook.Received);
        Assert.Equal("/h", path);
        Assert.Equal("stats_stale", (string?)body["alert"]);
        Assert.Equal("user_stats", (string?)body["view"]);
    }
}
