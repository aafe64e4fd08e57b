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
    protected override Task<IOnlineStore> CreateStoreAsync() => OpenAsync(server.ConnectionString, RedisServer.NewProject());

    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var project = ((RedisOnlineStore)store).Layout.Project;
        await store.DisposeAsync();
        return await OpenAsync(server.ConnectionString, project);
    }

    internal static async Task<IOnlineStore> OpenAsync(string connection, string project)
    {
        var store = new RedisOnlineStore(new RedisOnlineStoreOptions { Connection = connection, MaxBatchBytes = 300, MaxBatchesInFlight = 1 }, project);
        await store.InitializeAsync();
        return store;
    }
}
