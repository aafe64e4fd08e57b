using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>The catalog as apply writes it, as snapshots carry it, and the migration of registries made before it.</summary>
public abstract partial class CatalogStoreContract
{
    private const string ViewSpec = """{"entities":["ad"],"name":"ad_stats","ttl":"1d"}""";

    [Fact]
    public async Task Apply_writes_its_catalog_entries_and_versions_and_the_snapshot_carries_them()
    {
        var view = Written("ad_stats", CatalogEntryKind.View, SemanticVersion.Initial);
        var feature = Written("ad_stats:ctr", CatalogEntryKind.Feature, SemanticVersion.Initial);
        var request = Apply(0, T1, view, feature) with { Changes = [AddObject(ObjectKind.FeatureView, "ad_stats", ViewSpec)] };

        Assert.Equal(1, await Open().ApplyAsync(request));

        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal("ad_stats", Assert.Single(snapshot.Objects).Name);
        Assert.Equal(await StampAsync(), snapshot.CatalogStamp);
        Assert.NotEqual(0, snapshot.CatalogStamp);
        Assert.Equal(["ad_stats", "ad_stats:ctr"], snapshot.CatalogEntries.Select(e => e.Name));
        AssertEntry(view.Entry, snapshot.CatalogEntries[0]);
        AssertEntry(feature.Entry, snapshot.CatalogEntries[1]);
        Assert.Equal(["ad_stats", "ad_stats:ctr"], snapshot.CatalogVersions.Select(v => v.Name));
        AssertVersion(view.NewVersion!, snapshot.CatalogVersions[0]);
        AssertEntry(feature.Entry, await Open().GetCatalogEntryAsync(Project, "ad_stats:ctr"));
    }

    [Fact]
    public async Task Apply_replaces_an_entry_but_keeps_its_stored_usage_count_and_last_use()
    {
        await Open().ApplyAsync(Apply(0, T1, Written("ad_stats:ctr", CatalogEntryKind.Feature, SemanticVersion.Initial)));
        await Open().RecordUsageAsync([Use("ad_stats:ctr", "ranker", T2) with { Count = 4 }]);

        var next = Written("ad_stats:ctr", CatalogEntryKind.Feature, new SemanticVersion(1, 0, 1));
        var replaced = next with
        {
            Entry = next.Entry with
            {
                Metadata = new CatalogMetadata { Owner = "growth", Description = "Now owned by growth." },
                UsageCount = 0,
                LastUsedAt = null,
                UpdatedAt = T3,
            },
        };
        await Open().ApplyAsync(Apply(1, T3, replaced));

        AssertEntry(replaced.Entry with { UsageCount = 4, LastUsedAt = T2 }, await Open().GetCatalogEntryAsync(Project, "ad_stats:ctr"));
        Assert.Equal(["1.0.1", "1.0.0"], (await Open().ListVersionsAsync(Project, "ad_stats:ctr")).Select(v => v.Version.ToString()));
    }

    [Fact]
    public async Task Apply_whose_new_version_exists_is_a_conflict_and_writes_nothing()
    {
        await Open().ApplyAsync(Apply(0, T1, Written("ad_stats", CatalogEntryKind.View, SemanticVersion.Initial)) with
        {
            Changes = [AddObject(ObjectKind.FeatureView, "ad_stats", ViewSpec)],
        });

        // Another writer (the API) took 1.1.0 after the plan was made.
        await Open().AddVersionAsync(Version("ad_stats", 1, 1, 0, T2));
        var before = await Open().LoadAsync(Project);

        // The first write and the object alone would succeed: the taken version must undo them.
        var request = Apply(
            1,
            T3,
            Written("a_new_feature", CatalogEntryKind.Feature, SemanticVersion.Initial),
            Written("ad_stats", CatalogEntryKind.View, new SemanticVersion(1, 1, 0))) with
        {
            Changes = [AddObject(ObjectKind.Entity, "ad", """{"name":"ad"}""")],
        };
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().ApplyAsync(request));

        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Contains("1.1.0", error.Message, StringComparison.Ordinal);
        var after = await Open().LoadAsync(Project);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Objects, after.Objects);
        Assert.Equal(before.CatalogStamp, after.CatalogStamp);
        Assert.Equal(before.CatalogEntries.Select(e => (e.Name, e.CurrentVersion)), after.CatalogEntries.Select(e => (e.Name, e.CurrentVersion)));
        Assert.Equal(before.CatalogVersions.Select(v => (v.Name, v.Version, v.CreatedAt)), after.CatalogVersions.Select(v => (v.Name, v.Version, v.CreatedAt)));
        Assert.Single(await Open().GetHistoryAsync(Project));
    }

    [Fact]
    public async Task A_staged_version_is_promoted_by_a_later_apply_that_makes_it_current()
    {
        await Open().ApplyAsync(Apply(0, T1, Written("ad_stats", CatalogEntryKind.View, SemanticVersion.Initial)));

        // apply --no-promote: the new version is stored staged, the entry stays at 1.0.0.
        var staged = Written("ad_stats", CatalogEntryKind.View, new SemanticVersion(2, 0, 0));
        await Open().ApplyAsync(Apply(1, T2, staged with { Entry = staged.Entry with { CurrentVersion = SemanticVersion.Initial }, NewVersion = staged.NewVersion! with { Promoted = false } }));
        Assert.Equal(SemanticVersion.Initial, (await Open().GetCatalogEntryAsync(Project, "ad_stats"))!.CurrentVersion);
        Assert.False((await Open().ListVersionsAsync(Project, "ad_stats"))[0].Promoted);

        // The plain apply of the same definitions moves current onto it and adds no version.
        await Open().ApplyAsync(Apply(2, T3, staged with { NewVersion = null }));

        Assert.Equal(new SemanticVersion(2, 0, 0), (await Open().GetCatalogEntryAsync(Project, "ad_stats"))!.CurrentVersion);
        var versions = await Open().ListVersionsAsync(Project, "ad_stats");
        Assert.Equal(["2.0.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        Assert.All(versions, v => Assert.True(v.Promoted));
    }

    [Fact]
    public async Task Concurrent_applies_with_catalog_writes_leave_only_the_winners_catalog()
    {
        const int Writers = 6;
        var requests = Enumerable.Range(0, Writers)
            .Select(i => Apply(0, T1.AddSeconds(i), Written("shared", CatalogEntryKind.View, SemanticVersion.Initial), Written($"only_{i}", CatalogEntryKind.Feature, SemanticVersion.Initial)))
            .Select((r, i) => r with { Catalog = [r.Catalog[0] with { Entry = r.Catalog[0].Entry with { Metadata = new CatalogMetadata { Owner = $"writer-{i}" } } }, r.Catalog[1]] })
            .ToArray();
        var stores = requests.Select(_ => Open()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var applies = requests.Select((request, i) => Task.Run(async () =>
        {
            await start.Task;
            return await stores[i].ApplyAsync(request);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(applies.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        var winner = Assert.Single(Enumerable.Range(0, Writers), i => applies[i].IsCompletedSuccessfully);
        Assert.All(applies.Where(a => !a.IsCompletedSuccessfully), a => Assert.Equal(ErrorCodes.RegistryConflict, Assert.IsType<GranaryException>(a.Exception?.InnerException).Code));
        var snapshot = await Open().LoadAsync(Project);
        Assert.Equal([$"only_{winner}", "shared"], snapshot.CatalogEntries.Select(e => e.Name));
        Assert.Equal($"writer-{winner}", snapshot.CatalogEntries[1].Metadata.Owner);
        Assert.Equal(2, snapshot.CatalogVersions.Count);
    }

    [Fact]
    public async Task The_contents_catalog_finds_entries_and_versions_exactly_newest_first_and_by_major()
    {
        await Open().ApplyAsync(Apply(0, T1, Written("ad_stats", CatalogEntryKind.View, SemanticVersion.Initial), Written("ad_stats:ctr", CatalogEntryKind.Feature, SemanticVersion.Initial)));
        await Open().AddVersionAsync(Version("ad_stats", 1, 2, 0, T2));
        await Open().AddVersionAsync(Version("ad_stats", 1, 10, 0, T2));
        await Open().AddVersionAsync(Version("ad_stats", 2, 0, 0, T2));
        await Open().AddVersionAsync(Version("ad_stats", 3, 0, 0, T3) with { Promoted = false, Changelog = "staged" });

        var catalog = new RegistryContents(await Open().LoadAsync(Project)).Catalog;

        Assert.Equal(["ad_stats", "ad_stats:ctr"], catalog.Entries.Select(e => e.Name));
        Assert.Equal(new SemanticVersion(2, 0, 0), catalog.FindEntry("ad_stats")!.CurrentVersion);
        Assert.Null(catalog.FindEntry("AD_STATS"));
        Assert.Equal(["3.0.0", "2.0.0", "1.10.0", "1.2.0", "1.0.0"], catalog.VersionsOf("ad_stats").Select(v => v.Version.ToString()));
        Assert.Empty(catalog.VersionsOf("missing"));
        Assert.Equal(new SemanticVersion(1, 10, 0), catalog.NewestWithMajor("ad_stats", 1)!.Version);
        Assert.Equal("staged", catalog.NewestWithMajor("ad_stats", 3)!.Changelog);
        Assert.Null(catalog.NewestWithMajor("ad_stats", 4));
        Assert.Null(catalog.NewestWithMajor("missing", 1));
        Assert.Equal(T2, catalog.FindVersion("ad_stats", new SemanticVersion(1, 2, 0))!.CreatedAt);
        Assert.Null(catalog.FindVersion("ad_stats", new SemanticVersion(1, 3, 0)));
        Assert.Equal(SemanticVersion.Initial, Assert.Single(catalog.VersionsOf("ad_stats:ctr")).Version);
    }

    [Fact]
    public async Task A_registry_at_schema_version_1_is_migrated_once_by_concurrent_openers_and_keeps_its_data()
    {
        var old = await CreateVersion1LocationAsync();
        Assert.Equal(1, await old.Open().ApplyAsync(Apply(0, T1) with { Changes = [AddObject(ObjectKind.FeatureView, "ad_stats", ViewSpec)] }));

        var openers = Enumerable.Range(0, 6).Select(_ => Track(old.Open())).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initializers = openers.Select(store => Task.Run(async () =>
        {
            await start.Task;
            await store.InitializeAsync();
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(initializers);

        Assert.Equal((long)RegistrySchema.CurrentVersion, Convert.ToInt64(await old.Scalar("SELECT max(version) FROM granary_registry_schema")));
        Assert.Equal(1L, Convert.ToInt64(await old.Scalar("SELECT count(*) FROM granary_registry_schema")));
        var store = Track(old.Open());
        var snapshot = await store.LoadAsync(Project);
        Assert.Equal((1L, "ad_stats", ViewSpec), (snapshot.Version, Assert.Single(snapshot.Objects).Name, snapshot.Objects[0].Spec));
        Assert.Empty(snapshot.CatalogEntries);
        Assert.Equal(2, await store.ApplyAsync(Apply(1, T2, Written("ad_stats", CatalogEntryKind.View, SemanticVersion.Initial))));
        Assert.True(await store.AddVersionAsync(Version("ad_stats", 1, 1, 0, T3)));
        Assert.Equal(new SemanticVersion(1, 1, 0), (await Track(old.Open()).GetCatalogEntryAsync(Project, "ad_stats"))!.CurrentVersion);
    }

    [Fact]
    public async Task A_registry_at_a_newer_schema_version_is_refused()
    {
        var newer = RegistrySchema.CurrentVersion + 1;
        await Location.Scalar($"UPDATE granary_registry_schema SET version = {newer}");

        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().InitializeAsync());

        Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
        Assert.Contains($"version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Equal((long)newer, Convert.ToInt64(await Location.Scalar("SELECT max(version) FROM granary_registry_schema")));
    }

    /// <summary>A fresh location holding exactly what a registry created by schema version 1 holds.</summary>
    private async Task<RegistryLocation> CreateVersion1LocationAsync()
    {
        var location = await CreateLocationAsync();
        var (timestamp, json) = ColumnTypes;
        foreach (var statement in RegistrySchema.Version1Statements(timestamp, json))
        {
            await location.Scalar(statement);
        }

        await location.Scalar("INSERT INTO granary_registry_schema (version) VALUES (1)");
        return location;
    }

    /// <summary>What an apply writes for an entry that gets <paramref name="version"/> as its new, current version.</summary>
    private static CatalogWrite Written(string name, CatalogEntryKind kind, SemanticVersion version)
    {
        var entry = FullEntry(name) with { Kind = kind, CurrentVersion = version };
        var added = FullVersion(name, version) with { RegistryVersion = null, CreatedAt = T1 };
        return new CatalogWrite(entry, added);
    }
}
