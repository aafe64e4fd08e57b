using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>
/// The online store contract against <see cref="RedisOnlineStore"/> with pipelined batches of 300 bytes, one in flight:
/// nearly every write call spans several batches, so a key written twice in one call often falls in two of them, and
/// every rule must hold across batch boundaries and under back-pressure.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSmallBatchOnlineStoreTests(RedisServer server) : OnlineStoreContract
{
    private RedisOnlineStoreOptions Options => new() { Connection = server.ConnectionString, MaxBatchBytes = 300, MaxBatchesInFlight = 1 };

    protected override Task<IOnlineStore> CreateStoreAsync() => RedisOnlineStoreTests.OpenAsync(Options, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => RedisOnlineStoreTests.ReopenAsync(store, Options);
}
