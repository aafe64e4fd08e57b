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
    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(new() { Connection = cluster.ConnectionString }, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => RedisOnlineStoreTests.ReopenAsync(store, new() { Connection = cluster.ConnectionString });
}
