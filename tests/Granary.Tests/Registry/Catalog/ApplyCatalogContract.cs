using Granary.Core.Model;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Governance;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary>
/// Apply writes the catalog end to end through <see cref="FeatureStore"/> and a real registry: versions numbered by the
/// bump rules, metadata the API set kept, <c>--no-promote</c> staging. Every registry store runs the same suite.
/// </summary>
public abstract class ApplyCatalogContract
{
    /// <summary>A copy of the sample repository whose registry is this store's.</summary>
    protected abstract Task<TempRepository> CreateRepositoryAsync();

    /// <summary>The repository's registry opened directly, as the API opens it.</summary>
    protected abstract IRegistryStore OpenRegistry(TempRepository repo);

    private static string Features(Func<string, string> edit) => edit(SampleRepository.Features);

    private static async Task<ApplyResult> ApplyAsync(TempRepository repo, string features, bool promote = true)
    {
        repo.Write("features/shop.yaml", features);
        await using var store = FeatureStore.Open(repo.Root);
        return await store.ApplyAsync(new ApplyOptions { Promote = promote });
    }

    private static async Task<RegistryContents> ReadAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        return await store.GetRegistryAsync();
    }

    private static SemanticVersion V(string text) => SemanticVersion.Parse(text);

    [Fact]
    public async Task First_apply_puts_the_view_and_each_feature_at_1_0_0_with_the_views_spec_as_snapshot()
    {
        using var repo = await CreateRepositoryAsync();

        var result = await ApplyAsync(repo, SampleRepository.Features);

        var contents = await ReadAsync(repo);
        foreach (var name in new[] { "user_stats", "user_stats:orders_7d", "user_stats:spend_7d", "item_info", "item_info:price", "item_info:category" })
        {
            var entry = contents.Catalog.FindEntry(name);
            Assert.NotNull(entry);
            Assert.Equal(V("1.0.0"), entry.CurrentVersion);
            Assert.Equal(LifecycleStatus.Active, entry.Status);
            var version = Assert.Single(contents.Catalog.VersionsOf(name));
            Assert.Equal(result.Version, version.RegistryVersion);
            Assert.True(version.Promoted);
        }

        Assert.Null(contents.Catalog.FindEntry("user_stats:user_id"));
        Assert.Equal(contents.Find(ObjectKind.FeatureView, "user_stats")!.Spec, contents.Catalog.FindVersion("user_stats", V("1.0.0"))!.DefinitionSnapshot);
        Assert.Equal(["team=growth"], contents.Catalog.FindEntry("user_stats")!.Metadata.Tags);
        Assert.Equal(6, result.CatalogChanges.Count);
    }

    [Fact]
    public async Task Retype_add_describe_and_no_change_move_the_versions_as_the_rules_say()
    {
        using var repo = await CreateRepositoryAsync();
        await ApplyAsync(repo, SampleRepository.Features);

        var retype = Features(f => f.Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: float32}", StringComparison.Ordinal));
        var retyped = await ApplyAsync(repo, retype);
        var contents = await ReadAsync(repo);
        var major = contents.Catalog.VersionsOf("user_stats")[0];
        Assert.Equal(V("2.0.0"), major.Version);
        Assert.Equal(["schema.spend_7d.dtype: float64 -> float32"], major.BreakingChanges);
        Assert.Equal(V("2.0.0"), contents.Catalog.FindEntry("user_stats:spend_7d")!.CurrentVersion);
        Assert.Contains(retyped.CatalogChanges, c => c.ToString() == "catalog user_stats 1.0.0 -> 2.0.0 (major: schema.spend_7d.dtype: float64 -> float32)");

        var added = retype.Replace("{name: spend_7d, dtype: float32}", "{name: spend_7d, dtype: float32}\n      - {name: visits_7d, dtype: int64}", StringComparison.Ordinal);
        repo.Write("data/user_stats.csv", SampleRepository.UserStatsCsv.Replace("spend_7d\n", "spend_7d,visits_7d\n", StringComparison.Ordinal).Replace(",120.5", ",120.5,4", StringComparison.Ordinal).Replace(",0.0", ",0.0,1", StringComparison.Ordinal));
        await ApplyAsync(repo, added);
        contents = await ReadAsync(repo);
        Assert.Equal(V("2.1.0"), contents.Catalog.FindEntry("user_stats")!.CurrentVersion);
        Assert.Equal(V("1.0.0"), contents.Catalog.FindEntry("user_stats:visits_7d")!.CurrentVersion);

        var described = added.Replace("{name: visits_7d, dtype: int64}", "{name: visits_7d, dtype: int64, description: Visits in 7 days.}", StringComparison.Ordinal);
        await ApplyAsync(repo, described);
        contents = await ReadAsync(repo);
        Assert.Equal(V("2.1.1"), contents.Catalog.FindEntry("user_stats")!.CurrentVersion);
        Assert.Equal(V("1.0.1"), contents.Catalog.FindEntry("user_stats:visits_7d")!.CurrentVersion);
        Assert.Equal("Visits in 7 days.", contents.Catalog.FindEntry("user_stats:visits_7d")!.Metadata.Description);

        var unchanged = await ApplyAsync(repo, described);
        var after = await ReadAsync(repo);
        Assert.Empty(unchanged.CatalogChanges);
        Assert.Equal(4, after.Catalog.VersionsOf("user_stats").Count);
        Assert.Equal(contents.Snapshot.CatalogStamp, after.Snapshot.CatalogStamp);
    }

    [Fact]
    public async Task An_owner_set_through_the_catalog_store_survives_an_apply_that_does_not_set_owner()
    {
        using var repo = await CreateRepositoryAsync();
        await ApplyAsync(repo, SampleRepository.Features);
        await using (var registry = OpenRegistry(repo))
        {
            await registry.InitializeAsync();
            var entry = (await registry.GetCatalogEntryAsync("shop", "user_stats:spend_7d"))!;
            Assert.True(await registry.UpdateCatalogEntryAsync(entry with { Metadata = entry.Metadata with { Owner = "finance", Tags = ["pii"] } }));
        }

        await ApplyAsync(repo, Features(f => f.Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: float64, description: Spend.}", StringComparison.Ordinal)));

        var spend = (await ReadAsync(repo)).Catalog.FindEntry("user_stats:spend_7d")!;
        Assert.Equal("finance", spend.Metadata.Owner);
        Assert.Equal(["pii"], spend.Metadata.Tags);
        Assert.Equal("Spend.", spend.Metadata.Description);
        Assert.Equal(V("1.0.1"), spend.CurrentVersion);
    }

    [Fact]
    public async Task No_promote_keeps_the_registry_object_and_current_version_and_a_plain_apply_promotes_the_staged_one()
    {
        using var repo = await CreateRepositoryAsync();
        await ApplyAsync(repo, SampleRepository.Features);
        var before = await ReadAsync(repo);
        var retype = Features(f => f.Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: float32}", StringComparison.Ordinal));

        var staged = await ApplyAsync(repo, retype, promote: false);

        var contents = await ReadAsync(repo);
        Assert.Equal(["user_stats"], staged.Plan.StagedViews);
        Assert.Equal(before.Find(ObjectKind.FeatureView, "user_stats")!.Spec, contents.Find(ObjectKind.FeatureView, "user_stats")!.Spec);
        Assert.Equal(V("1.0.0"), contents.Catalog.FindEntry("user_stats")!.CurrentVersion);
        var v2 = contents.Catalog.NewestWithMajor("user_stats", 2)!;
        Assert.False(v2.Promoted);
        Assert.Equal(FeatureType.Float32, CanonicalJsonReader.Read(ObjectKind.FeatureView, v2.DefinitionSnapshot!) is FeatureView view ? view.Schema.Single(f => f.Name == "spend_7d").Type : default);

        var promoted = await ApplyAsync(repo, retype);

        contents = await ReadAsync(repo);
        Assert.Equal(V("2.0.0"), contents.Catalog.FindEntry("user_stats")!.CurrentVersion);
        Assert.Equal(2, contents.Catalog.VersionsOf("user_stats").Count);
        Assert.True(contents.Catalog.FindVersion("user_stats", V("2.0.0"))!.Promoted);
        Assert.Equal(v2.DefinitionSnapshot, contents.Find(ObjectKind.FeatureView, "user_stats")!.Spec);
        Assert.Contains(promoted.CatalogChanges, c => c.Name == "user_stats" && c.Action == CatalogChangeAction.Promote);
    }
}
