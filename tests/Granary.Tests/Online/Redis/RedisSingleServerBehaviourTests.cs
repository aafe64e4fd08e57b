using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>The Redis store's own promises (<see cref="RedisStoreBehaviour"/>) on a single Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSingleServerBehaviourTests(RedisServer server) : RedisStoreBehaviour
{
    protected override string ConnectionString => server.ConnectionString;

    protected override IReadOnlyList<RedisServer> Nodes => [server];
}
