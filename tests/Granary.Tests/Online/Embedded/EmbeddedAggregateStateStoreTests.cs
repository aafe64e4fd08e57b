using System.Globalization;
using Granary.Online;
using Granary.Online.Embedded;

namespace Granary.Tests.Online.Embedded;

/// <summary>The aggregate state contract against <see cref="EmbeddedOnlineStore"/>, one temp folder per store.</summary>
public sealed class EmbeddedAggregateStateStoreTests : AggregateStateStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "granary-embedded-state-tests", Guid.NewGuid().ToString("N"));
    private int _next;

    protected override async Task<IOnlineStore> CreateStoreAsync()
    {
        var folder = Path.Combine(_root, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        var store = new EmbeddedOnlineStore(Path.Combine(folder, "online.db"));
        await store.InitializeAsync();
        return store;
    }

    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var path = ((EmbeddedOnlineStore)store).FilePath;
        await store.DisposeAsync();
        var reopened = new EmbeddedOnlineStore(path);
        await reopened.InitializeAsync();
        return reopened;
    }

    protected override Task CleanupAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
