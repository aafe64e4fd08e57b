using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>
/// The online store contract against <see cref="RedisOnlineStore"/> on a three-node Redis Cluster, where a batch spans
/// nodes and a cross-slot command would fail.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterOnlineStoreTests(RedisCluster cluster) : OnlineStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(cluster.ConnectionString, RedisServer.NewProject());

    /// <summary>A new connection over the same project's keys, as a restarted process would open.</summary>
    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var project = ((RedisOnlineStore)store).Layout.Project;
        await store.DisposeAsync();
        return await RedisOnlineStoreTests.OpenAsync(cluster.ConnectionString, project);
    }
}
