using Granary.Online;
using Granary.Online.Caching;
using Granary.Tests.Online.Embedded;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Online.Caching;

/// <summary>
/// The whole online store contract through the read cache over the embedded store. The cache's clock never moves, so
/// nothing expires: every answer after a write is right only because the write invalidated what was cached.
/// </summary>
public sealed class CachedEmbeddedOnlineStoreTests : OnlineStoreContract
{
    private readonly EmbeddedStoreFolder _folder = new("granary-cached-embedded-tests");

    protected override async Task<IOnlineStore> CreateStoreAsync() => Cached(await _folder.CreateAsync());

    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store) =>
        Cached(await EmbeddedStoreFolder.ReopenAsync(((CachedOnlineStore)store).Inner));

    protected override Task CleanupAsync() => _folder.DeleteAsync();

    private static CachedOnlineStore Cached(IOnlineStore store) =>
        new(store, new OnlineCacheOptions { Ttl = TimeSpan.FromHours(1), MaxEntries = 4 }, new FakeTimeProvider(), OnlineCacheMetrics.For(null));
}
