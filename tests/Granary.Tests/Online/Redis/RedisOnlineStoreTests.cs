using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>The online store contract against <see cref="RedisOnlineStore"/> on a single Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisOnlineStoreTests(RedisServer server) : OnlineStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => OpenAsync(server.ConnectionString, RedisServer.NewProject());

    /// <summary>A new connection over the same project's keys, as a restarted process would open.</summary>
    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var project = ((RedisOnlineStore)store).Layout.Project;
        await store.DisposeAsync();
        return await OpenAsync(server.ConnectionString, project);
    }

    internal static async Task<IOnlineStore> OpenAsync(string connection, string project)
    {
        var store = new RedisOnlineStore(connection, project);
        await store.InitializeAsync();
        return store;
    }
}
