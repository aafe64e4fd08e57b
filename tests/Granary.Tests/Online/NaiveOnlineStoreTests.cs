using Granary.Online;

namespace Granary.Tests.Online;

/// <summary>The online store contract against <see cref="NaiveOnlineStore"/>, which validates the contract itself.</summary>
public sealed class NaiveOnlineStoreTests : OnlineStoreContract
{
    private readonly Dictionary<IOnlineStore, NaiveOnlineStore.Data> _data = [];

    protected override async Task<IOnlineStore> CreateStoreAsync()
    {
        var data = new NaiveOnlineStore.Data();
        var store = new NaiveOnlineStore(data);
        await store.InitializeAsync();
        lock (_data)
        {
            _data[store] = data;
        }

        return store;
    }

    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        NaiveOnlineStore.Data data;
        lock (_data)
        {
            data = _data[store];
        }

        await store.DisposeAsync();
        var reopened = new NaiveOnlineStore(data);
        await reopened.InitializeAsync();
        lock (_data)
        {
            _data[reopened] = data;
        }

        return reopened;
    }
}
