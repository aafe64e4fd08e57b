namespace Granary.Tests.Infrastructure;

/// <summary>
/// A throwaway three-node Redis Cluster (no replicas) on free loopback ports, built with
/// <c>redis-cli --cluster create</c> and ready once every node reports <c>cluster_state:ok</c>. Shared by the
/// <see cref="RedisClusterCollection"/>; tests isolate their data with <see cref="RedisServer.NewProject"/>.
/// </summary>
/// <remarks>
/// Three primaries spread the 16384 slots, so keys with different hash tags land on different nodes: a store that
/// forgot to keep an entity's views in one slot, or sent a cross-slot command, fails here and not in production.
/// If the cluster cannot be formed, initialization throws with the output: the tests fail rather than skip.
/// </remarks>
public sealed class RedisCluster : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly RedisServer[] _nodes = [new(clusterNode: true), new(clusterNode: true), new(clusterNode: true)];

    /// <summary>The cluster's nodes, each a primary for a third of the slots.</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>A StackExchange.Redis connection string naming every node; the client discovers the cluster from it.</summary>
    public string ConnectionString => string.Join(",", Array.ConvertAll(_nodes, n => n.Endpoint));

    public async Task InitializeAsync()
    {
        try
        {
            await Task.WhenAll(Array.ConvertAll(_nodes, n => n.InitializeAsync()));
            await ExternalProcess.RunCheckedAsync(
                "redis-cli",
                ["--cluster", "create", .. Array.ConvertAll(_nodes, n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"],
                CommandTimeout);
            await WaitUntilReadyAsync();
        }
        catch (Exception e)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"Could not start a Redis Cluster for the tests.\n{e.Message}", e);
        }
    }

    public async Task DisposeAsync() => await Task.WhenAll(Array.ConvertAll(_nodes, n => n.DisposeAsync()));

    private async Task WaitUntilReadyAsync()
    {
        // --cluster create returns once slots are assigned, but nodes agree on the configuration a moment later.
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var states = new string[_nodes.Length];
        while (DateTime.UtcNow < deadline)
        {
            var ready = true;
            for (var i = 0; i < _nodes.Length; i++)
            {
                states[i] = await _nodes[i].CliAsync("cluster", "info");
                ready &= states[i].Contains("cluster_state:ok", StringComparison.Ordinal);
            }

            if (ready)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(
            $"The cluster did not reach cluster_state:ok within {ReadyTimeout.TotalSeconds}s:\n{string.Join("\n", Array.ConvertAll(_nodes, n => n.Endpoint + ":"))}\n{string.Join("\n---\n", states)}");
    }
}
