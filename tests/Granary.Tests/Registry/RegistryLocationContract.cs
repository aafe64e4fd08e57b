using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// What the contracts of a registry store's parts share: a fresh location per test, and a new store instance over it for
/// each <see cref="Open"/>, so what one instance writes is read back through another. Every instance is disposed after the test.
/// </summary>
public abstract class RegistryLocationContract : IAsyncLifetime
{
    private readonly List<IRegistryStore> _stores = [];
    private Func<IRegistryStore> _open = null!;

    /// <summary>A fresh, empty registry location: a function opening a new store instance over it.</summary>
    protected abstract Task<Func<IRegistryStore>> CreateLocationAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _open = await CreateLocationAsync();
        await Open().InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected IRegistryStore Open()
    {
        var store = _open();
        _stores.Add(store);
        return store;
    }
}
