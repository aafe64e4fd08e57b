using System.Globalization;
using System.Text.Json;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A throwaway three-node NATS cluster with JetStream on free loopback ports (client, monitoring and route ports for
/// each node, routes to one another), ready once every node names the same JetStream meta leader. Streams created
/// with three replicas survive the loss of any one node.
/// </summary>
/// <remarks>If the cluster cannot be formed, initialization throws with the reason: the tests fail rather than skip.</remarks>
public sealed class NatsCluster : IAsyncLifetime
{
    private const int FormAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private NatsServer[] _nodes = [];

    /// <summary>The cluster's nodes.</summary>
    public IReadOnlyList<NatsServer> Nodes => _nodes;

    /// <summary>A client URL naming every node, comma-separated, so a client fails over from one to another.</summary>
    public string Url => string.Join(",", Array.ConvertAll(_nodes, n => n.Url));

    public async Task InitializeAsync()
    {
        var failures = new List<string>();
        for (var attempt = 1; attempt <= FormAttempts; attempt++)
        {
            // Every node's ports are known before any starts, since each names the others' routes.
            var name = $"granary-{Guid.NewGuid():N}"[..16];
            var routeUrls = new string[3];
            var ports = new (int Client, int Monitor)[3];
            for (var i = 0; i < 3; i++)
            {
                routeUrls[i] = $"nats://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}";
                ports[i] = (LoopbackPorts.Free(), LoopbackPorts.Free());
            }

            _nodes = new NatsServer[3];
            for (var i = 0; i < 3; i++)
            {
                _nodes[i] = new NatsServer(new NatsClusterNode(name, $"n{i + 1}", ports[i].Client, ports[i].Monitor, routeUrls[i], routeUrls));
            }

            try
            {
                await Task.WhenAll(Array.ConvertAll(_nodes, n => n.InitializeAsync()));
                await WaitForMetaLeaderAsync();
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                failures.Add($"Attempt {attempt}: {e.Message}");
                await DisposeAsync();
            }
        }

        throw new InvalidOperationException($"Could not start a three-node NATS cluster for the tests.\n{string.Join("\n", failures)}");
    }

    public async Task DisposeAsync() => await Task.WhenAll(Array.ConvertAll(_nodes, n => n.DisposeAsync()));

    /// <summary>The name of the node that leads the JetStream meta group, as the running nodes see it (null: none yet).</summary>
    public async Task<string?> MetaLeaderAsync()
    {
        string? leader = null;
        foreach (var node in _nodes)
        {
            if (!node.IsRunning)
            {
                continue;
            }

            var seen = await LeaderSeenByAsync(node);
            if (seen is null || (leader is not null && seen != leader))
            {
                return null;
            }

            leader = seen;
        }

        return leader;
    }

    private static async Task<string?> LeaderSeenByAsync(NatsServer node)
    {
        try
        {
            using var jsz = JsonDocument.Parse(await node.MonitorAsync("jsz"));
            return jsz.RootElement.TryGetProperty("meta_cluster", out var meta) && meta.TryGetProperty("leader", out var leader) && leader.GetString() is { Length: > 0 } name
                ? name
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private async Task WaitForMetaLeaderAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await MetaLeaderAsync() is not null)
            {
                return;
            }

            await Task.Delay(100);
        }

        var views = new List<string>();
        foreach (var node in _nodes)
        {
            views.Add($"{node.Name}: {await SafeJszAsync(node)}");
        }

        throw new TimeoutException($"The NATS cluster elected no JetStream meta leader within {ReadyTimeout.TotalSeconds}s:\n{string.Join("\n", views)}");
    }

    private static async Task<string> SafeJszAsync(NatsServer node)
    {
        try
        {
            return await node.MonitorAsync("jsz");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.Message;
        }
    }
}
