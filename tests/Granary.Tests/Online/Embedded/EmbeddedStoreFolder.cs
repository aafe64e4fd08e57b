using System.Globalization;
using Granary.Online;
using Granary.Online.Embedded;

namespace Granary.Tests.Online.Embedded;

/// <summary>
/// Embedded stores for the suites run against every backend: each store in its own subfolder of one temporary
/// folder, reopened from its file as a restarted process would, and the whole folder deleted at the end.
/// </summary>
internal sealed class EmbeddedStoreFolder(string name)
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));
    private int _next;

    public async Task<IOnlineStore> CreateAsync()
    {
        var folder = Path.Combine(_root, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        var store = new EmbeddedOnlineStore(Path.Combine(folder, "online.db"));
        await store.InitializeAsync();
        return store;
    }

    public static async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var path = ((EmbeddedOnlineStore)store).FilePath;
        await store.DisposeAsync();
        var reopened = new EmbeddedOnlineStore(path);
        await reopened.InitializeAsync();
        return reopened;
    }

    public Task DeleteAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
