using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Registry;

/// <summary>
/// The reader cache reloads when the catalog changes, though no apply moved the project's version, and does not for
/// usage records, which only move counters (a real SQLite registry, a fake clock).
/// </summary>
public sealed class CatalogRegistryCacheTests : IAsyncLifetime
{
    private const string Project = "shop";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"granary-catalog-cache-{Guid.NewGuid():N}", "registry.db");
    private readonly FakeTimeProvider _clock = new();
    private SqliteRegistryStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteRegistryStore(_path);
        await _store.InitializeAsync();
        var entry = new CatalogEntry(Project, "ad_stats", CatalogEntryKind.View) { CreatedAt = At, UpdatedAt = At };
        await _store.ApplyAsync(new ApplyRequest(Project, 0, [], "{}", "tester@ci", At)
        {
            Catalog = [new CatalogWrite(entry, new CatalogVersion(Project, "ad_stats", SemanticVersion.Initial) { CreatedAt = At })],
        });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task A_new_version_added_outside_any_apply_is_seen_within_the_refresh_interval()
    {
        using var cache = new RegistryCache(_store, Project, Interval, _clock);
        var loaded = await cache.GetAsync();
        Assert.Equal(SemanticVersion.Initial, loaded.Catalog.FindEntry("ad_stats")!.CurrentVersion);

        Assert.True(await _store.AddVersionAsync(new CatalogVersion(Project, "ad_stats", new SemanticVersion(2, 0, 0)) { CreatedAt = At.AddHours(1) }));

        // Not before the interval: the snapshot in memory is served.
        Assert.Same(loaded, await cache.GetAsync());
        _clock.Advance(Interval);
        var refreshed = await EventuallyAsync(cache, c => c.Catalog.FindEntry("ad_stats")!.CurrentVersion == new SemanticVersion(2, 0, 0));

        Assert.Equal(loaded.Version, refreshed.Version);
        Assert.Equal(["2.0.0", "1.0.0"], refreshed.Catalog.VersionsOf("ad_stats").Select(v => v.Version.ToString()));
    }

    [Fact]
    public async Task An_entry_update_is_seen_and_usage_records_reload_nothing()
    {
        using var cache = new RegistryCache(_store, Project, Interval, _clock);
        var loaded = await cache.GetAsync();
        var changed = 0;
        cache.Changed += _ => Interlocked.Increment(ref changed);

        await _store.RecordUsageAsync([new FeatureUsage(Project, "ad_stats", "1.0.0", "ranker", "production", At)]);
        _clock.Advance(Interval);
        Assert.False(await cache.RefreshAsync());
        Assert.Same(loaded, await cache.GetAsync());

        var entry = (await _store.GetCatalogEntryAsync(Project, "ad_stats"))!;
        Assert.True(await _store.UpdateCatalogEntryAsync(entry with { Status = LifecycleStatus.Deprecated, DeprecatedAt = At }));
        _clock.Advance(Interval);
        var refreshed = await EventuallyAsync(cache, c => c.Catalog.FindEntry("ad_stats")!.Status == LifecycleStatus.Deprecated);

        Assert.NotSame(loaded, refreshed);
        Assert.Equal(1, refreshed.Catalog.FindEntry("ad_stats")!.UsageCount);
        Assert.Equal(1, Volatile.Read(ref changed));
    }

    private static async Task<RegistryContents> EventuallyAsync(RegistryCache cache, Func<RegistryContents, bool> condition)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var current = await cache.GetAsync();
            if (condition(current))
            {
                return current;
            }

            await Task.Delay(25);
        }

        var last = await cache.GetAsync();
        Assert.True(condition(last), "the cache never showed the catalog change");
        return last;
    }
}
