using Granary.Online;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>The aggregate state contract against the Redis store on a single Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisAggregateStateStoreTests(RedisServer server) : AggregateStateStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(new() { Connection = server.ConnectionString }, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => RedisOnlineStoreTests.ReopenAsync(store, new() { Connection = server.ConnectionString });
}
