using Granary.Online;
using Granary.Tests.Infrastructure;
using Granary.Tests.Online.Redis;

namespace Granary.Tests.Streaming;

/// <summary>The online path of stream views on a real Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class OnlineIngestRedisTests(RedisServer server) : OnlineIngestContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(new() { Connection = server.ConnectionString }, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => RedisOnlineStoreTests.ReopenAsync(store, new() { Connection = server.ConnectionString });
}
