using Granary.Online;

namespace Granary.Tests.Online;

/// <summary>
/// What every suite run against each online store backend shares (<see cref="OnlineStoreContract"/>,
/// <see cref="AggregateStateStoreContract"/>, the stream ingestion contract): the backend makes fresh stores and
/// reopens them as a restart would; the suite tracks every store a test opened and, after the test, disposes them
/// and then removes what the backend left behind.
/// </summary>
public abstract class OnlineStoreSuite : IAsyncLifetime
{
    private readonly List<IOnlineStore> _stores = [];

    /// <summary>A fresh, empty, initialized store, in a namespace (folder, key prefix) no other call shares.</summary>
    protected abstract Task<IOnlineStore> CreateStoreAsync();

    /// <summary>Disposes <paramref name="store"/> and returns a new instance over the same data, as after a process restart.</summary>
    protected abstract Task<IOnlineStore> ReopenAsync(IOnlineStore store);

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made; runs after every store is disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
        await CleanupAsync();
    }

    /// <summary>A fresh store, disposed after the test.</summary>
    protected async Task<IOnlineStore> Create()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    /// <summary>The store reopened; the new instance is disposed after the test instead of the old one.</summary>
    protected async Task<IOnlineStore> Reopen(IOnlineStore store)
    {
        var reopened = await ReopenAsync(store);
        if (!ReferenceEquals(reopened, store))
        {
            _stores.Remove(store);
            _stores.Add(reopened);
        }

        return reopened;
    }
}
