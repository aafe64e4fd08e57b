namespace Granary.Tests.Infrastructure;

/// <summary>
/// The tests that share one three-node <see cref="RedisCluster"/>: mark a test class
/// <c>[Collection(RedisClusterCollection.Name)]</c> and take the cluster in its constructor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisCluster>
{
    public const string Name = "Redis Cluster";
}
