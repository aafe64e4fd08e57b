using Granary.Online;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>
/// The aggregate state contract against the Redis store on a three-node Redis Cluster: each compare-and-set is a
/// script on one key, so keys of one batch may live on different nodes.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterAggregateStateStoreTests(RedisCluster cluster) : AggregateStateStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(new() { Connection = cluster.ConnectionString }, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => RedisOnlineStoreTests.ReopenAsync(store, new() { Connection = cluster.ConnectionString });
}
