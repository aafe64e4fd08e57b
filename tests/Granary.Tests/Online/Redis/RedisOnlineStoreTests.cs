using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary>The online store contract against <see cref="RedisOnlineStore"/> on a single Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisOnlineStoreTests(RedisServer server) : OnlineStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() => OpenAsync(new() { Connection = server.ConnectionString }, RedisServer.NewProject());

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => ReopenAsync(store, new() { Connection = server.ConnectionString });

    internal static async Task<IOnlineStore> OpenAsync(RedisOnlineStoreOptions options, string project)
    {
        var store = new RedisOnlineStore(options, project);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>A new connection over the same project's keys, as a restarted process would open.</summary>
    internal static async Task<IOnlineStore> ReopenAsync(IOnlineStore store, RedisOnlineStoreOptions options)
    {
        var project = ((RedisOnlineStore)store).Layout.Project;
        await store.DisposeAsync();
        return await OpenAsync(options, project);
    }
}
