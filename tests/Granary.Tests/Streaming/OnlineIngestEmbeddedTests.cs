using Granary.Online;
using Granary.Tests.Online.Embedded;

namespace Granary.Tests.Streaming;

/// <summary>The online path of stream views on the embedded store, one temp folder per store.</summary>
public sealed class OnlineIngestEmbeddedTests : OnlineIngestContract
{
    private readonly EmbeddedStoreFolder _folder = new("granary-stream-online-tests");

    protected override Task<IOnlineStore> CreateStoreAsync() => _folder.CreateAsync();

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => EmbeddedStoreFolder.ReopenAsync(store);

    protected override Task CleanupAsync() => _folder.DeleteAsync();
}
