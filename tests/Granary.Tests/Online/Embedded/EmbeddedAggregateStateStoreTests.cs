using Granary.Online;
using Granary.Online.Embedded;

namespace Granary.Tests.Online.Embedded;

/// <summary>The aggregate state contract against <see cref="EmbeddedOnlineStore"/>, one temp folder per store.</summary>
public sealed class EmbeddedAggregateStateStoreTests : AggregateStateStoreContract
{
    private readonly EmbeddedStoreFolder _folder = new("granary-embedded-state-tests");

    protected override Task<IOnlineStore> CreateStoreAsync() => _folder.CreateAsync();

    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => EmbeddedStoreFolder.ReopenAsync(store);

    protected override Task CleanupAsync() => _folder.DeleteAsync();
}
