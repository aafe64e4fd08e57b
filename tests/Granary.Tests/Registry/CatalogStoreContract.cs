using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Storage;

namespace Granary.Tests.Registry;

/// <summary>
/// The governed catalog every <see cref="IRegistryStore"/> must keep. A backend derives a fixture that makes a fresh,
/// empty registry location and can run raw SQL on it; every test then runs against it. Assertions are on what a store
/// returns after a reload through another store instance, never on the records the test built.
/// </summary>
public abstract partial class CatalogStoreContract : IAsyncLifetime
{
    protected const string Project = "shop";
    private const string By = "tester@ci";

    protected static readonly DateTimeOffset T1 = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
    protected static readonly DateTimeOffset T2 = T1.AddMinutes(5).AddTicks(10);
    protected static readonly DateTimeOffset T3 = T1.AddHours(1);

    private readonly List<IRegistryStore> _stores = [];
    private RegistryLocation? _location;

    /// <summary>A registry location: new store instances over it, and raw SQL (one scalar) against its database.</summary>
    protected sealed record RegistryLocation(Func<IRegistryStore> Open, Func<string, Task<object?>> Scalar);

    /// <summary>Prepares a fresh, empty registry location (no tables).</summary>
    protected abstract Task<RegistryLocation> CreateLocationAsync();

    /// <summary>The database's timestamp and JSON column types, as the store passes them to <see cref="RegistrySchema"/>.</summary>
    protected abstract (string Timestamp, string Json) ColumnTypes { get; }

    public async Task InitializeAsync()
    {
        _location = await CreateLocationAsync();
        await Open().InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_created_entry_comes_back_with_every_field_and_its_first_version()
    {
        var entry = FullEntry("ad_stats:ctr");
        var first = FullVersion("ad_stats:ctr", SemanticVersion.Initial);

        Assert.True(await Open().CreateCatalogEntryAsync(entry, first));

        AssertEntry(entry, await Open().GetCatalogEntryAsync(Project, "ad_stats:ctr"));
        AssertVersion(first, Assert.Single(await Open().ListVersionsAsync(Project, "ad_stats:ctr")));
        Assert.Null(await Open().GetCatalogEntryAsync(Project, "ad_stats:CTR"));
        Assert.Null(await Open().GetCatalogEntryAsync("other", "ad_stats:ctr"));
    }

    [Fact]
    public async Task An_entry_with_empty_metadata_and_no_optional_values_comes_back_as_written()
    {
        var entry = new CatalogEntry(Project, "bare", CatalogEntryKind.Feature) { Status = LifecycleStatus.Draft, CreatedAt = T1, UpdatedAt = T1 };
        var first = new CatalogVersion(Project, "bare", SemanticVersion.Initial) { CreatedAt = T1, CreatedBy = By };

        Assert.True(await Open().CreateCatalogEntryAsync(entry, first));

        AssertEntry(entry, await Open().GetCatalogEntryAsync(Project, "bare"));
        AssertVersion(first, Assert.Single(await Open().ListVersionsAsync(Project, "bare")));
    }

    [Fact]
    public async Task Creating_an_entry_whose_name_exists_returns_false_and_writes_nothing()
    {
        var original = FullEntry("rsi");
        Assert.True(await Open().CreateCatalogEntryAsync(original, Version("rsi", 1, 0, 0, T1)));
        var stamp = await StampAsync();

        var again = original with { Kind = CatalogEntryKind.View, Metadata = new CatalogMetadata { Owner = "someone-else" } };
        Assert.False(await Open().CreateCatalogEntryAsync(again, Version("rsi", 2, 0, 0, T2)));

        AssertEntry(original, await Open().GetCatalogEntryAsync(Project, "rsi"));
        Assert.Equal(["1.0.0"], await VersionNumbersAsync("rsi"));
        Assert.Equal(stamp, await StampAsync());
    }

    [Fact]
    public async Task Update_replaces_metadata_status_and_timestamps_but_not_the_version_or_usage()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("rsi"), Version("rsi", 1, 0, 0, T1));
        await Open().RecordUsageAsync([Use("rsi", "model_a", T2) with { Count = 3 }]);

        var changed = FullEntry("rsi") with
        {
            Metadata = new CatalogMetadata { Owner = "risk", Description = "Relative strength.", Tags = ["x"], FeatureType = "technical_indicator" },
            Status = LifecycleStatus.Deprecated,
            CurrentVersion = new SemanticVersion(9, 9, 9),
            UsageCount = 1_000,
            LastUsedAt = T3,
            UpdatedAt = T3,
            DeprecatedAt = T3,
            Defined = false,
            AppliedKeys = new HashSet<string> { "owner" },
        };
        Assert.True(await Open().UpdateCatalogEntryAsync(changed));

        AssertEntry(changed with { CurrentVersion = SemanticVersion.Initial, UsageCount = 3, LastUsedAt = T2 }, await Open().GetCatalogEntryAsync(Project, "rsi"));
    }

    [Fact]
    public async Task Updating_an_entry_that_does_not_exist_returns_false_and_creates_nothing()
    {
        var stamp = await StampAsync();

        Assert.False(await Open().UpdateCatalogEntryAsync(FullEntry("ghost")));

        Assert.Null(await Open().GetCatalogEntryAsync(Project, "ghost"));
        Assert.Equal(0, (await Open().QueryCatalogAsync(Project, CatalogQuery.All)).Total);
        Assert.Equal(stamp, await StampAsync());
    }

    [Fact]
    public async Task A_promoted_version_becomes_current_and_a_staged_one_does_not()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("view") with { Kind = CatalogEntryKind.View }, Version("view", 1, 0, 0, T1));

        Assert.True(await Open().AddVersionAsync(Version("view", 1, 1, 0, T2)));
        Assert.Equal(new SemanticVersion(1, 1, 0), (await Open().GetCatalogEntryAsync(Project, "view"))!.CurrentVersion);

        var staged = Version("view", 2, 0, 0, T3) with { Promoted = false };
        Assert.True(await Open().AddVersionAsync(staged));

        var entry = await Open().GetCatalogEntryAsync(Project, "view");
        Assert.Equal(new SemanticVersion(1, 1, 0), entry!.CurrentVersion);
        var versions = await Open().ListVersionsAsync(Project, "view");
        Assert.Equal(["2.0.0", "1.1.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        Assert.False(versions[0].Promoted);
        Assert.True(versions[1].Promoted);
    }

    [Fact]
    public async Task Adding_a_version_that_exists_returns_false_and_changes_nothing()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("rsi"), Version("rsi", 1, 0, 0, T1));
        var original = FullVersion("rsi", new SemanticVersion(1, 1, 0)) with { CreatedAt = T2 };
        Assert.True(await Open().AddVersionAsync(original));
        await Open().AddVersionAsync(Version("rsi", 1, 2, 0, T2));
        var stamp = await StampAsync();

        var duplicate = Version("rsi", 1, 1, 0, T3) with { Changelog = "other", CreatedBy = "intruder" };
        Assert.False(await Open().AddVersionAsync(duplicate));

        Assert.Equal(new SemanticVersion(1, 2, 0), (await Open().GetCatalogEntryAsync(Project, "rsi"))!.CurrentVersion);
        var versions = await Open().ListVersionsAsync(Project, "rsi");
        Assert.Equal(["1.2.0", "1.1.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        AssertVersion(original, versions[1]);
        Assert.Equal(stamp, await StampAsync());
    }

    [Fact]
    public async Task Adding_a_version_to_an_entry_that_does_not_exist_is_not_found_and_writes_nothing()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().AddVersionAsync(Version("ghost", 1, 0, 0, T1)));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Open().ListVersionsAsync(Project, "ghost"));
    }

    [Fact]
    public async Task Versions_list_newest_first_in_numeric_order_and_all_versions_group_by_name()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("b"), Version("b", 1, 0, 0, T1));
        await Open().CreateCatalogEntryAsync(FullEntry("a"), Version("a", 1, 0, 0, T1));
        foreach (var (major, minor, patch) in new[] { (1, 9, 0), (1, 10, 0), (1, 2, 0), (10, 0, 0), (2, 0, 1), (2, 0, 0) })
        {
            await Open().AddVersionAsync(Version("a", major, minor, patch, T2));
        }

        await Open().AddVersionAsync(Version("b", 1, 0, 1, T2));

        Assert.Equal(["10.0.0", "2.0.1", "2.0.0", "1.10.0", "1.9.0", "1.2.0", "1.0.0"], await VersionNumbersAsync("a"));
        Assert.Equal(
            ["a 10.0.0", "a 2.0.1", "a 2.0.0", "a 1.10.0", "a 1.9.0", "a 1.2.0", "a 1.0.0", "b 1.0.1", "b 1.0.0"],
            (await Open().ListAllVersionsAsync(Project)).Select(v => $"{v.Name} {v.Version}"));
        Assert.Empty(await Open().ListAllVersionsAsync("other"));
    }

    [Fact]
    public async Task Concurrent_additions_of_one_version_let_exactly_one_in_and_move_current_once()
    {
        const int Writers = 8;
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        for (var round = 1; round <= 4; round++)
        {
            var number = new SemanticVersion(1, round, 0);
            var stampBefore = await StampAsync();
            // Each round's writers are separate store instances (separate pools), disposed at the round's end.
            var stores = Enumerable.Range(0, Writers).Select(_ => Location.Open()).ToArray();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var additions = stores.Select((store, i) => Task.Run(async () =>
            {
                await start.Task;
                return await store.AddVersionAsync(Version("ctr", 1, round, 0, T2.AddSeconds(i)) with { CreatedBy = $"writer-{i}" });
            })).ToArray();
            start.SetResult();
            bool[] results;
            try
            {
                results = await Task.WhenAll(additions);
            }
            finally
            {
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }

            var winner = Assert.Single(Enumerable.Range(0, Writers), i => results[i]);
            var versions = await Open().ListVersionsAsync(Project, "ctr");
            var added = Assert.Single(versions, v => v.Version == number);
            Assert.Equal($"writer-{winner}", added.CreatedBy);
            Assert.Equal(T2.AddSeconds(winner), added.CreatedAt);
            Assert.Equal(round + 1, versions.Count);
            Assert.Equal(number, (await Open().GetCatalogEntryAsync(Project, "ctr"))!.CurrentVersion);
            Assert.Equal(stampBefore + 1, await StampAsync());
        }
    }

    [Fact]
    public async Task Rollback_adds_the_restored_version_as_current_and_marks_the_replaced_one()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), FullVersion("ctr", SemanticVersion.Initial));
        await Open().AddVersionAsync(Version("ctr", 2, 0, 0, T2));

        var restored = FullVersion("ctr", new SemanticVersion(2, 0, 1)) with { RestoredFrom = SemanticVersion.Initial, Changelog = "Rolled back to 1.0.0.", CreatedAt = T3 };
        Assert.True(await Open().RollbackAsync(restored, new SemanticVersion(2, 0, 0), T3));

        Assert.Equal(new SemanticVersion(2, 0, 1), (await Open().GetCatalogEntryAsync(Project, "ctr"))!.CurrentVersion);
        var versions = await Open().ListVersionsAsync(Project, "ctr");
        Assert.Equal(["2.0.1", "2.0.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        AssertVersion(restored, versions[0]);
        Assert.True(versions[1].IsRolledBack);
        Assert.Equal(T3, versions[1].RolledBackAt);
        Assert.False(versions[2].IsRolledBack);
        Assert.Null(versions[2].RolledBackAt);
    }

    [Fact]
    public async Task Rollback_to_a_version_number_that_exists_returns_false_and_marks_nothing()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        await Open().AddVersionAsync(Version("ctr", 2, 0, 0, T2));
        var stamp = await StampAsync();

        Assert.False(await Open().RollbackAsync(Version("ctr", 1, 0, 0, T3) with { RestoredFrom = SemanticVersion.Initial }, new SemanticVersion(2, 0, 0), T3));

        await AssertRollbackWroteNothingAsync(stamp);
    }

    [Fact]
    public async Task Rollback_of_a_version_that_does_not_exist_is_not_found_and_writes_nothing_at_all()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        await Open().AddVersionAsync(Version("ctr", 2, 0, 0, T2));
        var stamp = await StampAsync();

        // The restored version would insert and become current; marking the missing 7.0.0 must undo both.
        var error = await Assert.ThrowsAsync<GranaryException>(() => Open().RollbackAsync(Version("ctr", 2, 0, 1, T3), new SemanticVersion(7, 0, 0), T3));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Contains("7.0.0", error.Message, StringComparison.Ordinal);
        await AssertRollbackWroteNothingAsync(stamp);
    }

    [Fact]
    public async Task Usage_adds_each_rows_count_to_the_entry_and_moves_its_last_use_forward_only()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        await Open().CreateCatalogEntryAsync(FullEntry("cvr"), Version("cvr", 1, 0, 0, T1));

        await Open().RecordUsageAsync([Use("ctr", "m1", T2) with { Count = 5 }, Use("ctr", "m2", T1), Use("cvr", "m1", T1)]);
        await Open().RecordUsageAsync([Use("ctr", "m1", T1.AddSeconds(1)) with { Count = 2 }, Use("nobody_knows", "m1", T3)]);

        var ctr = await Open().GetCatalogEntryAsync(Project, "ctr");
        Assert.Equal((8L, T2), (ctr!.UsageCount, ctr.LastUsedAt));
        var cvr = await Open().GetCatalogEntryAsync(Project, "cvr");
        Assert.Equal((1L, T1), (cvr!.UsageCount, cvr.LastUsedAt));
        Assert.Null(await Open().GetCatalogEntryAsync(Project, "nobody_knows"));
        Assert.Equal(1, (await Open().GetUsageStatisticsAsync(Project, "nobody_knows")).TotalUsage);
    }

    [Fact]
    public async Task Usage_statistics_add_up_counts_models_environments_averages_and_last_use()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        await Open().RecordUsageAsync(
        [
            Use("ctr", "ranker", T1) with { Environment = "staging", FeatureImportance = 0.5, CorrelationWithTarget = -0.25, Count = 4 },
            Use("ctr", "ranker", T3) with { FeatureImportance = 0.25 },
            Use("ctr", "bidder", T2) with { Environment = "dev", ModelVersion = "7", ExecutionId = "run-1", ExecutionDurationMs = 12.5 },
            Use("other", "zeta", T3) with { FeatureImportance = 1 },
        ]);

        var statistics = await Open().GetUsageStatisticsAsync(Project, "ctr");

        Assert.Equal("ctr", statistics.FeatureName);
        Assert.Equal(6, statistics.TotalUsage);
        Assert.Equal(2, statistics.UniqueModels);
        Assert.Equal(["dev", "production", "staging"], statistics.Environments);
        Assert.Equal(["bidder", "ranker"], statistics.Models);
        Assert.Equal(0.375, statistics.AvgImportance);
        Assert.Equal(-0.25, statistics.AvgCorrelation);
        Assert.Equal(T3, statistics.LastUsedAt);
    }

    [Fact]
    public async Task Statistics_of_a_feature_never_used_are_zero_and_empty()
    {
        var statistics = await Open().GetUsageStatisticsAsync(Project, "unused");

        Assert.Equal((0L, 0), (statistics.TotalUsage, statistics.UniqueModels));
        Assert.Empty(statistics.Environments);
        Assert.Empty(statistics.Models);
        Assert.Null(statistics.AvgImportance);
        Assert.Null(statistics.AvgCorrelation);
        Assert.Null(statistics.LastUsedAt);
    }

    [Fact]
    public async Task Usage_of_many_rows_is_recorded_whole_across_insert_batches()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        var rows = Enumerable.Range(0, 450).Select(i => Use("ctr", $"model_{i % 7}", T1.AddSeconds(i)) with { Count = i + 1 }).ToArray();

        await Open().RecordUsageAsync(rows);

        var statistics = await Open().GetUsageStatisticsAsync(Project, "ctr");
        Assert.Equal(rows.Sum(r => r.Count), statistics.TotalUsage);
        Assert.Equal(7, statistics.UniqueModels);
        Assert.Equal(T1.AddSeconds(449), statistics.LastUsedAt);
        Assert.Equal(rows.Sum(r => r.Count), (await Open().GetCatalogEntryAsync(Project, "ctr"))!.UsageCount);
    }

    [Fact]
    public async Task Catalog_writes_move_the_catalog_stamp_and_usage_does_not()
    {
        var stamps = new List<long> { await StampAsync() };
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        stamps.Add(await StampAsync());
        await Open().UpdateCatalogEntryAsync(FullEntry("ctr") with { Status = LifecycleStatus.Deprecated });
        stamps.Add(await StampAsync());
        await Open().AddVersionAsync(Version("ctr", 1, 1, 0, T2));
        stamps.Add(await StampAsync());
        await Open().RollbackAsync(Version("ctr", 1, 1, 1, T3), new SemanticVersion(1, 1, 0), T3);
        stamps.Add(await StampAsync());
        await Open().RecordUsageAsync([Use("ctr", "m", T3)]);
        var afterUsage = await StampAsync();

        Assert.Equal(stamps.Distinct().Count(), stamps.Count);
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps[^1], afterUsage);
    }

    [Fact]
    public async Task Catalog_writes_create_no_project_so_the_first_apply_still_succeeds()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("rsi"), Version("rsi", 1, 0, 0, T1));
        await Open().AddVersionAsync(Version("rsi", 1, 1, 0, T2));

        Assert.Equal(0, await Open().GetVersionAsync(Project));
        Assert.Empty(await Open().ListProjectsAsync());
        Assert.Equal(1, await Open().ApplyAsync(Apply(0, T3)));
        Assert.Equal(new RegistryStamp(1, await StampAsync()), await Open().GetStampAsync(Project));
    }

    [Fact]
    public async Task Stamp_of_a_project_never_written_is_zero()
    {
        Assert.Equal(new RegistryStamp(0, 0), await Open().GetStampAsync("never"));
    }

    [Fact]
    public async Task Projects_keep_separate_catalogs()
    {
        await Open().CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1));
        var beta = FullEntry("ctr") with { Project = "beta", Metadata = new CatalogMetadata { Owner = "beta-team" } };
        await Open().CreateCatalogEntryAsync(beta, Version("ctr", 1, 0, 0, T1) with { Project = "beta" });
        await Open().AddVersionAsync(Version("ctr", 2, 0, 0, T2) with { Project = "beta" });
        await Open().RecordUsageAsync([Use("ctr", "m", T2) with { Project = "beta" }]);

        var shop = await Open().GetCatalogEntryAsync(Project, "ctr");
        Assert.Equal((SemanticVersion.Initial, 0L, "ads"), (shop!.CurrentVersion, shop.UsageCount, shop.Metadata.Owner));
        Assert.Equal(["1.0.0"], await VersionNumbersAsync("ctr"));
        Assert.Equal(0, (await Open().GetUsageStatisticsAsync(Project, "ctr")).TotalUsage);
        Assert.Equal(1, (await Open().GetUsageStatisticsAsync("beta", "ctr")).TotalUsage);
        Assert.Equal("beta-team", (await Open().GetCatalogEntryAsync("beta", "ctr"))!.Metadata.Owner);
    }

    [Fact]
    public async Task Unreachable_registry_fails_every_catalog_call_with_RegistryUnavailable()
    {
        var store = Track(CreateUnreachableStore());

        var attempts = new Func<Task>[]
        {
            () => store.GetStampAsync(Project),
            () => store.QueryCatalogAsync(Project, CatalogQuery.All),
            () => store.GetCatalogEntryAsync(Project, "ctr"),
            () => store.CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1)),
            () => store.UpdateCatalogEntryAsync(FullEntry("ctr")),
            () => store.AddVersionAsync(Version("ctr", 1, 0, 0, T1)),
            () => store.RollbackAsync(Version("ctr", 1, 0, 1, T1), SemanticVersion.Initial, T1),
            () => store.ListVersionsAsync(Project, "ctr"),
            () => store.ListAllVersionsAsync(Project),
            () => store.RecordUsageAsync([Use("ctr", "m", T1)]),
            () => store.GetUsageStatisticsAsync(Project, "ctr"),
        };
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<GranaryException>(attempt);
            Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
        }
    }

    [Fact]
    public async Task Database_errors_of_catalog_calls_are_reported_as_the_registry_unavailable_naming_it()
    {
        // A database that opens but has none of the tables: every statement fails inside the driver.
        var store = Track((await CreateLocationAsync()).Open());

        var attempts = new Func<Task>[]
        {
            () => store.GetStampAsync(Project),
            () => store.QueryCatalogAsync(Project, CatalogQuery.All with { Tags = ["x"] }),
            () => store.GetCatalogEntryAsync(Project, "ctr"),
            () => store.CreateCatalogEntryAsync(FullEntry("ctr"), Version("ctr", 1, 0, 0, T1)),
            () => store.UpdateCatalogEntryAsync(FullEntry("ctr")),
            () => store.AddVersionAsync(Version("ctr", 1, 0, 0, T1)),
            () => store.RollbackAsync(Version("ctr", 1, 0, 1, T1), SemanticVersion.Initial, T1),
            () => store.ListVersionsAsync(Project, "ctr"),
            () => store.ListAllVersionsAsync(Project),
            () => store.RecordUsageAsync([Use("ctr", "m", T1)]),
            () => store.GetUsageStatisticsAsync(Project, "ctr"),
        };
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<GranaryException>(attempt);
            Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
            Assert.Contains("registry", error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<System.Data.Common.DbException>(error.InnerException);
        }
    }

    [Fact]
    public async Task Apply_refuses_catalog_writes_of_another_project_before_writing_anything()
    {
        var foreign = new CatalogWrite(FullEntry("ctr") with { Project = "beta" }, null);
        var mismatched = new CatalogWrite(FullEntry("ctr"), Version("cvr", 1, 0, 0, T1));

        await Assert.ThrowsAsync<ArgumentException>(() => Open().ApplyAsync(Apply(0, T1, foreign)));
        await Assert.ThrowsAsync<ArgumentException>(() => Open().ApplyAsync(Apply(0, T1, mismatched)));

        Assert.Equal(new RegistryStamp(0, 0), await Open().GetStampAsync(Project));
        Assert.Null(await Open().GetCatalogEntryAsync("beta", "ctr"));
    }

    /// <summary>A store whose database cannot be opened.</summary>
    protected abstract IRegistryStore CreateUnreachableStore();

    /// <summary>A new store instance over this test's registry, disposed after the test.</summary>
    protected IRegistryStore Open() => Track(_location!.Open());

    protected RegistryLocation Location => _location!;

    protected IRegistryStore Track(IRegistryStore store)
    {
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    protected async Task<long> StampAsync(string project = Project) => (await Open().GetStampAsync(project)).CatalogStamp;

    private async Task<IReadOnlyList<string>> VersionNumbersAsync(string name) =>
        [.. (await Open().ListVersionsAsync(Project, name)).Select(v => v.Version.ToString())];

    private async Task AssertRollbackWroteNothingAsync(long stamp)
    {
        Assert.Equal(new SemanticVersion(2, 0, 0), (await Open().GetCatalogEntryAsync(Project, "ctr"))!.CurrentVersion);
        var versions = await Open().ListVersionsAsync(Project, "ctr");
        Assert.Equal(["2.0.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        Assert.All(versions, v => Assert.False(v.IsRolledBack));
        Assert.All(versions, v => Assert.Null(v.RestoredFrom));
        Assert.Equal(stamp, await StampAsync());
    }

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected static CatalogEntry FullEntry(string name) => new(Project, name, CatalogEntryKind.Feature)
    {
        Metadata = new CatalogMetadata
        {
            Owner = "ads",
            Description = "Click-through rate, Zürich \"quoted\".",
            Tags = ["team=ads", "pii", "z"],
            FeatureType = "derived",
            DataType = "float64",
            Transformation = new FeatureTransformation("sql", "clicks / impressions")
            {
                Parameters = new Dictionary<string, JsonElement> { ["window"] = Json("\"7d\""), ["alpha"] = Json("[1, 2.5, null]") },
            },
            ValidationRules =
            [
                new CatalogValidationRule("range", IsBlocking: true) { Parameters = new Dictionary<string, JsonElement> { ["min"] = Json("0"), ["max"] = Json("1") } },
                new CatalogValidationRule("not_null", IsBlocking: false),
            ],
            UpstreamFeatures = ["ad_stats:clicks", "ad_stats:impressions"],
        },
        Status = LifecycleStatus.Active,
        CurrentVersion = SemanticVersion.Initial,
        Defined = true,
        AppliedKeys = new HashSet<string> { "owner", "tags", "description" },
        UsageCount = 0,
        CreatedAt = T1,
        UpdatedAt = T2,
        DeprecatedAt = null,
    };

    protected static CatalogVersion FullVersion(string name, SemanticVersion version) => new(Project, name, version)
    {
        Changelog = "Added ctr.\nSecond line.",
        BreakingChanges = ["retyped ctr", "removed cvr"],
        TransformationSnapshot = new FeatureTransformation("expression", "a + b") { Parameters = new Dictionary<string, JsonElement> { ["k"] = Json("{\"nested\": true}") } },
        ValidationSnapshot = [new CatalogValidationRule("regex", IsBlocking: true) { Parameters = new Dictionary<string, JsonElement> { ["pattern"] = Json("\"^a+$\"") } }],
        DefinitionSnapshot = """{"name":"ad_stats","ttl":"1d"}""",
        RegistryVersion = 42,
        Promoted = true,
        CreatedBy = By,
        CreatedAt = T1,
    };

    protected static CatalogVersion Version(string name, int major, int minor, int patch, DateTimeOffset at) =>
        new(Project, name, new SemanticVersion(major, minor, patch)) { CreatedAt = at, CreatedBy = By };

    protected static FeatureUsage Use(string feature, string model, DateTimeOffset at) =>
        new(Project, feature, "1.0.0", model, "production", at);

    protected static ApplyRequest Apply(long expectedVersion, DateTimeOffset at, params CatalogWrite[] catalog) =>
        new(Project, expectedVersion, [], $$"""{"applied_over":{{expectedVersion}}}""", By, at) { Catalog = catalog };

    protected static string Hash(string spec) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec)));

    protected static ObjectChange AddObject(ObjectKind kind, string name, string spec) => new(kind, name, ChangeAction.Add, spec, Hash(spec), null);

    // Records compare their lists and dictionaries by reference: these compare every field by content.
    protected static void AssertEntry(CatalogEntry expected, CatalogEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.Project, expected.Name, expected.Kind, expected.Status, expected.CurrentVersion, expected.Defined, expected.UsageCount, expected.LastUsedAt, expected.CreatedAt, expected.UpdatedAt, expected.DeprecatedAt),
            (actual.Project, actual.Name, actual.Kind, actual.Status, actual.CurrentVersion, actual.Defined, actual.UsageCount, actual.LastUsedAt, actual.CreatedAt, actual.UpdatedAt, actual.DeprecatedAt));
        Assert.Equal(expected.AppliedKeys.Order(StringComparer.Ordinal), actual.AppliedKeys.Order(StringComparer.Ordinal));
        var (e, a) = (expected.Metadata, actual.Metadata);
        Assert.Equal((e.Owner, e.Description, e.FeatureType, e.DataType), (a.Owner, a.Description, a.FeatureType, a.DataType));
        Assert.Equal(e.Tags, a.Tags);
        Assert.Equal(e.UpstreamFeatures, a.UpstreamFeatures);
        AssertTransformation(e.Transformation, a.Transformation);
        AssertRules(e.ValidationRules, a.ValidationRules);
    }

    protected static void AssertVersion(CatalogVersion expected, CatalogVersion? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.Project, expected.Name, expected.Version, expected.Changelog, expected.DefinitionSnapshot, expected.RegistryVersion, expected.Promoted, expected.CreatedBy, expected.CreatedAt, expected.IsRolledBack, expected.RolledBackAt, expected.RestoredFrom),
            (actual.Project, actual.Name, actual.Version, actual.Changelog, actual.DefinitionSnapshot, actual.RegistryVersion, actual.Promoted, actual.CreatedBy, actual.CreatedAt, actual.IsRolledBack, actual.RolledBackAt, actual.RestoredFrom));
        Assert.Equal(expected.BreakingChanges, actual.BreakingChanges);
        AssertTransformation(expected.TransformationSnapshot, actual.TransformationSnapshot);
        AssertRules(expected.ValidationSnapshot, actual.ValidationSnapshot);
    }

    private static void AssertTransformation(FeatureTransformation? expected, FeatureTransformation? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal((expected.TransformationType, expected.Code), (actual.TransformationType, actual.Code));
        AssertParameters(expected.Parameters, actual.Parameters);
    }

    private static void AssertRules(IReadOnlyList<CatalogValidationRule> expected, IReadOnlyList<CatalogValidationRule> actual)
    {
        Assert.Equal(expected.Select(r => (r.RuleType, r.IsBlocking)), actual.Select(r => (r.RuleType, r.IsBlocking)));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertParameters(expected[i].Parameters, actual[i].Parameters);
        }
    }

    // JSON values compare by meaning (PostgreSQL's jsonb respaces them).
    private static void AssertParameters(IReadOnlyDictionary<string, JsonElement> expected, IReadOnlyDictionary<string, JsonElement> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.True(JsonElement.DeepEquals(value, actual[key]), $"parameter '{key}': expected {value.GetRawText()}, got {actual[key].GetRawText()}");
        }
    }
}
