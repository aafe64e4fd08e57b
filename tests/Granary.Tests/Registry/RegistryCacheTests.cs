using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Configuration;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Registry;

/// <summary>
/// Once loaded, the cache answers from memory: a stale snapshot is served while one background refresh checks the
/// registry (a real SQLite registry behind a switch that can hold or fail its answers).
/// </summary>
public sealed class RegistryCacheTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>The real store, with its version and stamp query held until released or made to fail.</summary>
    private sealed class SwitchedStore(IRegistryStore inner) : IRegistryStore
    {
        public TaskCompletionSource? Hold { get; set; }

        public bool Fail { get; set; }

        public int VersionQueries { get; private set; }

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default) => inner.GetVersionAsync(project, cancellationToken);

        // What the cache polls: the version and catalog stamp together.
        public async Task<RegistryStamp> GetStampAsync(string project, CancellationToken cancellationToken = default)
        {
            VersionQueries++;
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            return Fail ? throw new InvalidOperationException("registry down") : await inner.GetStampAsync(project, cancellationToken);
        }

        public Task<RegistrySnapshot> LoadAsync(string project, CancellationToken cancellationToken = default) => inner.LoadAsync(project, cancellationToken);

        public Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default) => inner.ListProjectsAsync(cancellationToken);

        public Task<long> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default) => inner.ApplyAsync(request, cancellationToken);

        public Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(string project, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetHistoryAsync(project, limit, cancellationToken);

        public Task SaveDatasetAsync(SavedDataset dataset, CancellationToken cancellationToken = default) => inner.SaveDatasetAsync(dataset, cancellationToken);

        public Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.ListDatasetsAsync(project, cancellationToken);

        public Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
            inner.GetDatasetAsync(project, name, cancellationToken);

        public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) => inner.QueryCatalogAsync(project, query, cancellationToken);

        public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) => inner.GetCatalogEntryAsync(project, name, cancellationToken);

        public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) =>
            inner.CreateCatalogEntryAsync(entry, firstVersion, cancellationToken);

        public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) => inner.UpdateCatalogEntryAsync(entry, cancellationToken);

        public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) => inner.AddVersionAsync(version, cancellationToken);

        public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.RollbackAsync(restored, rolledBack, at, cancellationToken);

        public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) => inner.ListVersionsAsync(project, name, cancellationToken);

        public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) => inner.ListAllVersionsAsync(project, cancellationToken);

        public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default) => inner.RecordUsageAsync(usage, cancellationToken);

        public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) =>
            inner.GetUsageStatisticsAsync(project, name, cancellationToken);

        public Task SaveProfileAsync(string project, Granary.Quality.Profiles.ViewProfile profile, CancellationToken cancellationToken = default) =>
            inner.SaveProfileAsync(project, profile, cancellationToken);

        public Task<Granary.Quality.Profiles.ViewProfile?> GetProfileAsync(string project, string id, CancellationToken cancellationToken = default) =>
            inner.GetProfileAsync(project, id, cancellationToken);

        public Task<IReadOnlyList<Granary.Quality.Profiles.ViewProfile>> ListProfilesAsync(string project, string view, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.ListProfilesAsync(project, view, limit, cancellationToken);

        public Task<int> CountProfilesAsync(string project, string view, CancellationToken cancellationToken = default) =>
            inner.CountProfilesAsync(project, view, cancellationToken);

        public Task RecordNewestEventsAsync(string project, IReadOnlyList<Granary.Registry.Monitoring.ViewNewestEvent> events, CancellationToken cancellationToken = default) =>
            inner.RecordNewestEventsAsync(project, events, cancellationToken);

        public Task<IReadOnlyList<Granary.Registry.Monitoring.ViewNewestEvent>> GetNewestEventsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.GetNewestEventsAsync(project, cancellationToken);

        public Task RecordAlertFiringsAsync(string project, IReadOnlyList<Granary.Registry.Monitoring.AlertFiring> firings, CancellationToken cancellationToken = default) =>
            inner.RecordAlertFiringsAsync(project, firings, cancellationToken);

        public Task<IReadOnlyList<Granary.Registry.Monitoring.AlertFiring>> GetAlertFiringsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.GetAlertFiringsAsync(project, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static async Task ApplyAsync(TempRepository repo)
    {
        await using var writer = FeatureStore.Open(repo.Root);
        await writer.ApplyAsync();
    }

    private static async Task<(SwitchedStore Store, RegistryCache Cache, FakeTimeProvider Clock)> OpenAsync(TempRepository repo)
    {
        var config = ConfigParser.Load(repo.Root);
        var store = new SwitchedStore(new SqliteRegistryStore(Path.Combine(repo.Root, SqliteRegistryStoreOptions.DefaultPath)));
        await store.InitializeAsync();
        var clock = new FakeTimeProvider();
        return (store, new RegistryCache(store, config.Project, Interval, clock), clock);
    }

    private static async Task<long> EventuallyAsync(RegistryCache cache, long version)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var current = (await cache.GetAsync()).Version;
            if (current == version)
            {
                return current;
            }

            await Task.Delay(25);
        }

        return (await cache.GetAsync()).Version;
    }

    [Fact]
    public async Task A_stale_snapshot_is_served_at_once_while_one_background_refresh_picks_up_the_apply()
    {
        using var repo = SampleRepository.Create();
        await ApplyAsync(repo);
        var (store, cache, clock) = await OpenAsync(repo);
        await using var _ = store;
        using var __ = cache;
        Assert.Equal(1, (await cache.GetAsync()).Version);

        await ApplyAsync(repo.Write("entities.yaml", SampleRepository.Entities.Replace("A shopper.", "A buyer.", StringComparison.Ordinal)));
        clock.Advance(Interval);
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = store.VersionQueries;
        var reads = Enumerable.Range(0, 20).Select(_ => cache.GetAsync()).ToList();

        // The registry is held: every read still answers, from memory, with the snapshot it had.
        Assert.All(reads, read => Assert.True(read.IsCompletedSuccessfully));
        Assert.All(reads, read => Assert.Equal(1, read.Result.Version));
        for (var attempt = 0; attempt < 200 && store.VersionQueries == before; attempt++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(before + 1, store.VersionQueries);   // one refresh, however many readers noticed
        store.Hold.SetResult();
        store.Hold = null;
        Assert.Equal(2, await EventuallyAsync(cache, 2));
    }

    [Fact]
    public async Task A_registry_that_stops_answering_leaves_readers_on_the_last_snapshot()
    {
        using var repo = SampleRepository.Create();
        await ApplyAsync(repo);
        var (store, cache, clock) = await OpenAsync(repo);
        await using var _ = store;
        using var __ = cache;
        var loaded = await cache.GetAsync();
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.RefreshFailed += e => failed.TrySetResult(e);

        store.Fail = true;
        clock.Advance(Interval);
        var read = await cache.GetAsync();
        var error = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(loaded, read);
        Assert.Equal("registry down", error.Message);
        Assert.Same(loaded, await cache.GetAsync());   // not retried before the interval has passed again
        Assert.Equal(1, cache.Version);
        var queries = store.VersionQueries;
        await cache.GetAsync();
        Assert.Equal(queries, store.VersionQueries);
    }
}
