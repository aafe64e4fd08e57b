using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Governance;
using Granary.OnlineServing;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Governance.Catalog;

/// <summary>
/// Every operation and refusal of <see cref="FeatureCatalog"/>, through <c>FeatureStore.Catalog</c> on the sample
/// repository, run on each registry store. Entries that apply would create for defined features are written straight
/// to the registry, as apply writes them (active, defined).
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId)]
public abstract class CatalogContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IAsyncDisposable> _open = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    protected TempRepository Repository { get; private set; } = null!;

    protected FeatureStore Store { get; private set; } = null!;

    private FeatureCatalog Catalog => Store.Catalog;

    /// <summary>Writes the sample repository with this store's <c>granary.yaml</c>.</summary>
    protected abstract Task<TempRepository> CreateRepositoryAsync();

    /// <summary>The registry the repository names, opened directly.</summary>
    protected abstract IRegistryStore OpenRegistry();

    public async Task InitializeAsync()
    {
        Repository = await CreateRepositoryAsync();
        Store = Open();
        await Store.ApplyAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var open in _open)
        {
            await open.DisposeAsync();
        }

        Repository.Dispose();
    }

    protected FeatureStore Open(GranaryOptions? options = null)
    {
        var builder = new FeatureStoreBuilder(Repository.Root).UseTimeProvider(Time);
        if (options is not null)
        {
            builder.UseOptions(options);
        }

        var store = builder.Build();
        _open.Add(store);
        return store;
    }

    /// <summary>An entry as apply writes it for a feature or view the definitions make: active, defined, at 1.0.0.</summary>
    private async Task DefineAsync(string name, CatalogEntryKind kind = CatalogEntryKind.Feature, params string[] appliedKeys)
    {
        await using var registry = OpenRegistry();
        await registry.InitializeAsync();
        var entry = new CatalogEntry("shop", name, kind)
        {
            Metadata = new CatalogMetadata { Owner = "growth", Description = "from yaml" },
            Status = LifecycleStatus.Active,
            Defined = true,
            AppliedKeys = new HashSet<string>(appliedKeys),
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        if (!await registry.CreateCatalogEntryAsync(entry, new CatalogVersion("shop", name, SemanticVersion.Initial) { Changelog = "created", CreatedAt = Start }))
        {
            // Apply made it already: make it what the test needs.
            var existing = await registry.GetCatalogEntryAsync("shop", name);
            Assert.True(await registry.UpdateCatalogEntryAsync(existing! with { Metadata = entry.Metadata, Status = LifecycleStatus.Active, AppliedKeys = entry.AppliedKeys }));
        }
    }

    /// <summary>The entry as the registry holds it, read apart from the store under test.</summary>
    private async Task<CatalogEntry> StoredAsync(string name)
    {
        await using var registry = OpenRegistry();
        await registry.InitializeAsync();
        return await registry.GetCatalogEntryAsync("shop", name) ?? throw new InvalidOperationException($"no entry {name}");
    }

    private async Task<IReadOnlyList<CatalogVersion>> StoredVersionsAsync(string name)
    {
        await using var registry = OpenRegistry();
        await registry.InitializeAsync();
        return await registry.ListVersionsAsync("shop", name);
    }

    private Task<CatalogEntry> CreateAsync(string name, params string[] upstream) =>
        Catalog.CreateAsync(new CatalogEntryCreate(name) { Owner = "quant", UpstreamFeatures = upstream });

    private static async Task<GranaryException> RefusedAsync(string code, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<GranaryException>(action);
        Assert.Equal(code, error.Code);
        return error;
    }

    // --- create, get, list -------------------------------------------------------------------------------------

    [Fact]
    public async Task Create_registers_a_draft_at_1_0_0_with_a_created_version_and_granary_dtypes()
    {
        await Catalog.CreateAsync(new CatalogEntryCreate("stock_rsi_14d")
        {
            FeatureType = "technical_indicator",
            DataType = "float",
            Owner = "quant-team",
            Tags = ["technical", "momentum"],
            Transformation = new FeatureTransformation("python", "def rsi(): ...") { Parameters = new Dictionary<string, JsonElement> { ["period"] = JsonSerializer.SerializeToElement(14) } },
            ValidationRules = [new CatalogValidationRule("range", true)],
        });

        await using var reopened = Open();
        var entry = await reopened.Catalog.GetAsync("stock_rsi_14d");
        Assert.Equal((LifecycleStatus.Draft, SemanticVersion.Initial, "float64", "technical_indicator", false), (entry.Status, entry.CurrentVersion, entry.Metadata.DataType, entry.Metadata.FeatureType, entry.Defined));
        Assert.Equal(["technical", "momentum"], entry.Metadata.Tags);
        Assert.Equal(Start, entry.CreatedAt);
        Assert.Equal(14, entry.Metadata.Transformation!.Parameters["period"].GetInt32());
        var version = Assert.Single(await reopened.Catalog.ListVersionsAsync("stock_rsi_14d"));
        Assert.Equal((SemanticVersion.Initial, "created", "python"), (version.Version, version.Changelog, version.TransformationSnapshot!.TransformationType));
    }

    [Theory]
    [InlineData("integer", "int64")]
    [InlineData("boolean", "bool")]
    [InlineData("timestamp", "unix_timestamp")]
    [InlineData("string", "string")]
    [InlineData("float32", "float32")]
    [InlineData("list<float32>", "list<float32>")]
    public async Task Data_types_in_the_seeds_words_or_granarys_are_stored_in_granarys_spelling(string given, string stored)
    {
        await Catalog.CreateAsync(new CatalogEntryCreate("f") { DataType = given });

        Assert.Equal(stored, (await StoredAsync("f")).Metadata.DataType);
    }

    [Fact]
    public async Task Creating_an_existing_name_is_already_exists()
    {
        await CreateAsync("f");

        var error = await RefusedAsync(ErrorCodes.AlreadyExists, () => CreateAsync("f"));
        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_feature_a_view_defines_or_a_views_name_is_already_exists()
    {
        await RefusedAsync(ErrorCodes.AlreadyExists, () => CreateAsync("user_stats:orders_7d"));
        await RefusedAsync(ErrorCodes.AlreadyExists, () => CreateAsync("user_stats"));
    }

    [Fact]
    public async Task Creating_a_view_feature_name_no_view_defines_is_invalid()
    {
        var error = await RefusedAsync(ErrorCodes.InvalidArgument, () => CreateAsync("user_stats:nope"));
        Assert.Contains("feature_name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feature_type")]
    [InlineData("data_type")]
    [InlineData("feature_name")]
    [InlineData("upstream_features[0]")]
    [InlineData("tags[1]")]
    [InlineData("validation_rules[0].rule_type")]
    [InlineData("transformation.transformation_type")]
    public async Task An_invalid_field_is_refused_naming_it(string field)
    {
        var request = field switch
        {
            "feature_type" => new CatalogEntryCreate("f") { FeatureType = "astrology" },
            "data_type" => new CatalogEntryCreate("f") { DataType = "decimal" },
            "feature_name" => new CatalogEntryCreate("no spaces"),
            "upstream_features[0]" => new CatalogEntryCreate("f") { UpstreamFeatures = ["a-b"] },
            "tags[1]" => new CatalogEntryCreate("f") { Tags = ["ok", " "] },
            "validation_rules[0].rule_type" => new CatalogEntryCreate("f") { ValidationRules = [new CatalogValidationRule("", false)] },
            _ => new CatalogEntryCreate("f") { Transformation = new FeatureTransformation("", "x") },
        };

        var error = await RefusedAsync(ErrorCodes.InvalidArgument, () => Catalog.CreateAsync(request));
        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.GetAsync("f"));
    }

    [Fact]
    public async Task Get_of_an_unknown_name_is_not_found()
    {
        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.GetAsync("nothing_here"));
    }

    [Fact]
    public async Task List_filters_by_type_status_owner_and_all_tags_and_pages_with_the_total()
    {
        await Catalog.CreateAsync(new CatalogEntryCreate("a") { FeatureType = "raw", Owner = "x", Tags = ["t1", "t2"] });
        await Catalog.CreateAsync(new CatalogEntryCreate("b") { FeatureType = "raw", Owner = "x", Tags = ["t1"] });
        await Catalog.CreateAsync(new CatalogEntryCreate("c") { FeatureType = "derived", Owner = "y", Tags = ["t1", "t2"] });
        await Catalog.ActivateAsync("b");

        static string[] Names(CatalogPage page) => [.. page.Entries.Select(e => e.Name)];
        Assert.Equal(["a", "b"], Names(await Catalog.ListAsync(new CatalogQuery { FeatureType = "raw" })));
        Assert.Equal(["b"], Names(await Catalog.ListAsync(new CatalogQuery { Status = LifecycleStatus.Active, Owner = "x" })));
        Assert.Equal(["a", "c"], Names(await Catalog.ListAsync(new CatalogQuery { Tags = ["t1", "t2"] })));
        var page = await Catalog.ListAsync(new CatalogQuery { Tags = ["t1"], Skip = 1, Limit = 1 });
        Assert.Equal((["b"], 3), (Names(page), page.Total));
        await RefusedAsync(ErrorCodes.InvalidArgument, () => Catalog.ListAsync(new CatalogQuery { Limit = 0 }));
    }

    // --- update --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Update_changes_only_the_fields_it_sets_and_adds_no_version()
    {
        await Catalog.CreateAsync(new CatalogEntryCreate("f") { Owner = "quant", Description = "old", Tags = ["a"] });
        Time.Advance(TimeSpan.FromMinutes(5));

        await Catalog.UpdateAsync("f", new CatalogEntryUpdate { Description = "new", DataType = "integer" });

        var stored = (await StoredAsync("f"));
        Assert.Equal(("new", "quant", "int64"), (stored.Metadata.Description, stored.Metadata.Owner, stored.Metadata.DataType));
        Assert.Equal(["a"], stored.Metadata.Tags);
        Assert.Equal(Start.AddMinutes(5), stored.UpdatedAt);
        Assert.Single(await Catalog.ListVersionsAsync("f"));
    }

    [Fact]
    public async Task Updating_a_defined_entrys_key_takes_it_from_apply()
    {
        await DefineAsync("user_stats:orders_7d", CatalogEntryKind.Feature, "owner", "description");

        await Catalog.UpdateAsync("user_stats:orders_7d", new CatalogEntryUpdate { Description = "orders in the last week" });

        var stored = (await StoredAsync("user_stats:orders_7d"));
        Assert.Equal(["owner"], stored.AppliedKeys);
        Assert.Equal("orders in the last week", stored.Metadata.Description);
    }

    [Fact]
    public async Task An_update_whose_upstream_would_close_a_cycle_is_unprocessable_naming_it()
    {
        await CreateAsync("a");
        await CreateAsync("b", "a");
        await CreateAsync("c", "b");

        var error = await RefusedAsync(ErrorCodes.Unprocessable, () => Catalog.UpdateAsync("a", new CatalogEntryUpdate { UpstreamFeatures = ["c"] }));

        Assert.Contains("a → b → c → a", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Catalog.GetAsync("a")).Metadata.UpstreamFeatures);
    }

    [Fact]
    public async Task An_update_may_replace_upstreams_that_no_longer_make_a_cycle()
    {
        await CreateAsync("a");
        await CreateAsync("b", "a");

        await Catalog.UpdateAsync("b", new CatalogEntryUpdate { UpstreamFeatures = [] });
        await Catalog.UpdateAsync("a", new CatalogEntryUpdate { UpstreamFeatures = ["b"] });

        Assert.Equal(["b"], (await StoredAsync("a")).Metadata.UpstreamFeatures);
    }

    [Fact]
    public async Task A_status_set_by_update_follows_the_lifecycle()
    {
        await CreateAsync("f");

        await RefusedAsync(ErrorCodes.Conflict, () => Catalog.UpdateAsync("f", new CatalogEntryUpdate { Status = LifecycleStatus.Archived }));
        await Catalog.UpdateAsync("f", new CatalogEntryUpdate { Status = LifecycleStatus.Active });

        Assert.Equal(LifecycleStatus.Active, (await StoredAsync("f")).Status);
    }

    // --- lifecycle -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Lifecycle_goes_draft_active_deprecated_archived_and_deprecated_back_to_active()
    {
        await CreateAsync("f");
        await Catalog.ActivateAsync("f");
        Time.Advance(TimeSpan.FromHours(1));
        await Catalog.DeprecateAsync("f");
        var deprecated = (await StoredAsync("f"));
        Assert.Equal((LifecycleStatus.Deprecated, Start.AddHours(1)), (deprecated.Status, deprecated.DeprecatedAt));

        await Catalog.ActivateAsync("f");
        Assert.Equal((LifecycleStatus.Active, null), ((await Catalog.GetAsync("f")).Status, (await Catalog.GetAsync("f")).DeprecatedAt));
        await Catalog.DeprecateAsync("f");
        await Catalog.ArchiveAsync("f");

        Assert.Equal(LifecycleStatus.Archived, (await StoredAsync("f")).Status);
    }

    [Fact]
    public async Task A_transition_from_the_wrong_state_is_a_conflict_naming_the_state()
    {
        await CreateAsync("f");

        Assert.Contains("draft", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeprecateAsync("f"))).Message, StringComparison.Ordinal);
        Assert.Contains("draft", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.ArchiveAsync("f"))).Message, StringComparison.Ordinal);
        await Catalog.ActivateAsync("f");
        Assert.Contains("active", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.ActivateAsync("f"))).Message, StringComparison.Ordinal);
        Assert.Contains("active", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.ArchiveAsync("f"))).Message, StringComparison.Ordinal);
        await Catalog.DeprecateAsync("f");
        await Catalog.ArchiveAsync("f");
        Assert.Contains("archived", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.ActivateAsync("f"))).Message, StringComparison.Ordinal);
        Assert.Contains("archived", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeleteAsync("f"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_is_a_soft_delete_to_deprecated_that_keeps_the_history()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)));

        await Catalog.DeleteAsync("f");

        await using var reopened = Open();
        Assert.Equal(LifecycleStatus.Deprecated, (await reopened.Catalog.GetAsync("f")).Status);
        Assert.Equal(2, (await reopened.Catalog.ListVersionsAsync("f")).Count);
    }

    [Fact]
    public async Task Deprecate_archive_and_delete_are_refused_while_an_active_feature_depends_on_it_naming_it()
    {
        await CreateAsync("base");
        await CreateAsync("derived_one", "base");
        await Catalog.ActivateAsync("base");
        await Catalog.ActivateAsync("derived_one");

        var deprecate = await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeprecateAsync("base"));
        Assert.Contains("derived_one", deprecate.Message, StringComparison.Ordinal);
        Assert.Contains("derived_one", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeleteAsync("base"))).Message, StringComparison.Ordinal);
        Assert.Equal(LifecycleStatus.Active, (await StoredAsync("base")).Status);

        await Catalog.DeprecateAsync("derived_one");
        await Catalog.DeprecateAsync("base");
        await Catalog.ActivateAsync("derived_one");
        Assert.Contains("derived_one", (await RefusedAsync(ErrorCodes.Conflict, () => Catalog.ArchiveAsync("base"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_dependent_does_not_hold_back_deprecation()
    {
        await CreateAsync("base");
        await CreateAsync("derived_one", "base");
        await Catalog.ActivateAsync("base");

        await Catalog.DeprecateAsync("base");

        Assert.Equal(LifecycleStatus.Deprecated, (await StoredAsync("base")).Status);
    }

    [Fact]
    public async Task Deprecating_a_feature_a_feature_service_serves_is_refused_naming_the_service()
    {
        await DefineAsync("user_stats:orders_7d");

        var error = await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeprecateAsync("user_stats:orders_7d"));

        Assert.Contains("feature_service 'recommender'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deprecating_a_view_is_refused_while_its_features_are_active()
    {
        await DefineAsync("user_stats", CatalogEntryKind.View);
        await DefineAsync("user_stats:spend_7d");

        var error = await RefusedAsync(ErrorCodes.Conflict, () => Catalog.DeprecateAsync("user_stats"));

        Assert.Contains("feature 'user_stats:spend_7d'", error.Message, StringComparison.Ordinal);
        Assert.Contains("feature 'user_stats:orders_7d'", error.Message, StringComparison.Ordinal);
    }

    // --- versions and rollback -----------------------------------------------------------------------------------

    [Fact]
    public async Task Versions_list_newest_first_and_the_newest_becomes_current()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)) { Changelog = "more" });
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 10, 0)) { Changelog = "much more" });

        await using var reopened = Open();
        Assert.Equal(["1.10.0", "1.1.0", "1.0.0"], (await reopened.Catalog.ListVersionsAsync("f")).Select(v => v.Version.ToString()));
        Assert.Equal(new SemanticVersion(1, 10, 0), (await reopened.Catalog.GetAsync("f")).CurrentVersion);
    }

    [Fact]
    public async Task An_existing_version_is_already_exists_and_an_older_one_unprocessable()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 2, 0)));

        await RefusedAsync(ErrorCodes.AlreadyExists, () => Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 2, 0))));
        var older = await RefusedAsync(ErrorCodes.Unprocessable, () => Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 5))));
        Assert.Contains("1.2.0", older.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await Catalog.ListVersionsAsync("f")).Count);
    }

    [Fact]
    public async Task A_breaking_change_without_a_major_bump_is_unprocessable_naming_it()
    {
        await CreateAsync("f");

        var error = await RefusedAsync(ErrorCodes.Unprocessable, () => Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)) { BreakingChanges = ["dtype int64 -> float64"] }));
        Assert.Contains("dtype int64 -> float64", error.Message, StringComparison.Ordinal);

        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(2, 0, 0)) { BreakingChanges = ["dtype int64 -> float64"] });
        Assert.Equal(["dtype int64 -> float64"], (await Catalog.ListVersionsAsync("f"))[0].BreakingChanges);
    }

    [Fact]
    public async Task Of_two_concurrent_creations_of_one_version_exactly_one_succeeds_and_history_stays_intact()
    {
        await CreateAsync("f");
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();

        var outcomes = await Task.WhenAll(stores.Select(async (s, i) =>
        {
            try
            {
                await s.Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)) { Changelog = $"writer {i}" });
                return "created";
            }
            catch (GranaryException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        Assert.All(outcomes.Where(o => o != "created"), o => Assert.Equal(ErrorCodes.AlreadyExists, o));
        Assert.Equal(["1.1.0", "1.0.0"], (await StoredVersionsAsync("f")).Select(v => v.Version.ToString()));
    }

    [Fact]
    public async Task Rollback_in_the_same_major_restores_the_targets_snapshots_as_the_next_patch_and_marks_the_current_rolled_back()
    {
        var original = new FeatureTransformation("sql", "avg(x)");
        var changed = new FeatureTransformation("sql", "sum(x)");
        await Catalog.CreateAsync(new CatalogEntryCreate("f") { Transformation = original, ValidationRules = [new CatalogValidationRule("not_null", true)] });
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)) { TransformationSnapshot = changed, ValidationSnapshot = [] });
        Time.Advance(TimeSpan.FromDays(1));

        await Catalog.RollbackAsync("f", SemanticVersion.Initial);

        var versions = await StoredVersionsAsync("f");
        Assert.Equal(["1.1.1", "1.1.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        var restored = versions[0];
        Assert.Equal((SemanticVersion.Initial, "rolled back to 1.0.0", "avg(x)"), (restored.RestoredFrom, restored.Changelog, restored.TransformationSnapshot!.Code));
        Assert.Equal("not_null", Assert.Single(restored.ValidationSnapshot).RuleType);
        Assert.Equal((true, Start.AddDays(1)), (versions[1].IsRolledBack, versions[1].RolledBackAt));
        Assert.False(versions[2].IsRolledBack);
        var entry = (await StoredAsync("f"));
        Assert.Equal((new SemanticVersion(1, 1, 1), "avg(x)"), (entry.CurrentVersion, entry.Metadata.Transformation!.Code));
        Assert.Equal("not_null", Assert.Single(entry.Metadata.ValidationRules).RuleType);
    }

    [Fact]
    public async Task Rollback_to_an_older_major_is_the_next_major()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(2, 0, 0)) { BreakingChanges = ["retyped"] });
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(2, 1, 0)));

        var restored = await Catalog.RollbackAsync("f", SemanticVersion.Initial);

        Assert.Equal(new SemanticVersion(3, 0, 0), restored.Version);
        Assert.Equal(new SemanticVersion(3, 0, 0), (await StoredAsync("f")).CurrentVersion);
        Assert.NotEmpty((await StoredVersionsAsync("f"))[0].BreakingChanges);
    }

    [Fact]
    public async Task Rollback_to_an_unknown_version_is_not_found_and_to_the_current_one_a_conflict()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)));

        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.RollbackAsync("f", new SemanticVersion(1, 0, 7)));
        await RefusedAsync(ErrorCodes.Conflict, () => Catalog.RollbackAsync("f", new SemanticVersion(1, 1, 0)));
        Assert.Equal(2, (await StoredVersionsAsync("f")).Count);
    }

    // --- lineage and impact --------------------------------------------------------------------------------------

    [Fact]
    public async Task Lineage_lists_direct_neighbours_and_with_recursive_the_whole_closure()
    {
        await CreateAsync("a", "user_stats:spend_7d");
        await CreateAsync("b", "a");
        await CreateAsync("c", "b");

        var direct = await Catalog.GetLineageAsync("a", recursive: false);
        var recursive = await Catalog.GetLineageAsync("a", recursive: true);

        Assert.Equal((["user_stats:spend_7d"], ["b"]), (direct.UpstreamFeatures, direct.DownstreamFeatures));
        Assert.Empty(direct.AllDownstream);
        Assert.Equal((1, 2), (direct.DirectDependentsCount, direct.TotalDependentsCount));
        Assert.Equal(["b", "c"], recursive.AllDownstream);
        Assert.Equal(["user_stats:spend_7d", "user_stats"], recursive.AllUpstream);
        Assert.Contains(new LineageNode(LineageNodeKind.FeatureView, "user_stats"), (await Catalog.GetLineageAsync("user_stats:spend_7d", false)).Upstream);
    }

    [Fact]
    public async Task Lineage_of_a_defined_feature_shows_its_view_and_the_services_serving_it()
    {
        var lineage = await Catalog.GetLineageAsync("user_stats:orders_7d", recursive: true);

        Assert.Equal([new LineageNode(LineageNodeKind.FeatureView, "user_stats")], lineage.Upstream);
        Assert.Equal([new LineageNode(LineageNodeKind.FeatureService, "recommender")], lineage.Downstream);
        Assert.Equal(["user_stats"], lineage.UpstreamFeatures);
        Assert.Empty(lineage.DownstreamFeatures);
        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.GetLineageAsync("user_stats:nope", false));
    }

    [Fact]
    public async Task Impact_names_the_services_reached_through_downstream_features_and_the_models_of_their_usage()
    {
        await DefineAsync("user_stats:orders_7d");
        await CreateAsync("orders_ratio", "user_stats:orders_7d");
        await Catalog.RecordUsageAsync(new FeatureUsageRecord("user_stats:orders_7d", "churn_model"));
        await Catalog.RecordUsageAsync(new FeatureUsageRecord("orders_ratio", "ltv_model"));

        var impact = await Catalog.GetImpactAsync("user_stats:orders_7d");
        var ofView = await Catalog.GetImpactAsync("user_stats");

        Assert.Equal((["recommender"], ["churn_model", "ltv_model"]), (impact.FeatureServices, impact.Models));
        Assert.Equal(["recommender"], ofView.FeatureServices);
    }

    [Fact]
    public async Task The_whole_graph_holds_every_source_view_feature_and_service()
    {
        await CreateAsync("a", "item_info:price");

        var graph = await Catalog.GetLineageGraphAsync();

        Assert.Contains(new LineageEdge(new LineageNode(LineageNodeKind.DataSource, "user_stats_source"), new LineageNode(LineageNodeKind.DataSource, "user_stats_push")), graph.Edges);
        Assert.Contains(new LineageEdge(new LineageNode(LineageNodeKind.Feature, "item_info:price"), new LineageNode(LineageNodeKind.Feature, "a")), graph.Edges);
        Assert.Equal(5, graph.Nodes.Count(n => n.Kind == LineageNodeKind.Feature));
    }

    // --- usage and statistics ------------------------------------------------------------------------------------

    [Fact]
    public async Task Recorded_usage_adds_up_to_the_statistics_and_defaults_to_the_current_version()
    {
        await CreateAsync("f");
        await Catalog.CreateVersionAsync("f", new CatalogVersionCreate(new SemanticVersion(1, 1, 0)));
        await Catalog.RecordUsageAsync(new FeatureUsageRecord("f", "m1") { Environment = "dev", FeatureImportance = 0.2, CorrelationWithTarget = 0.5 });
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await Catalog.RecordUsageAsync(new FeatureUsageRecord("f", "m2") { Environment = "staging", FeatureImportance = 0.4, FeatureVersion = "1.0.0" });
        await Catalog.RecordUsageAsync(new FeatureUsageRecord("f", "m1"));

        await using var reopened = Open();
        var statistics = await reopened.Catalog.GetStatisticsAsync("f");
        Assert.Equal((3L, 2), (statistics.TotalUsage, statistics.UniqueModels));
        Assert.Equal(["dev", "production", "staging"], statistics.Environments);
        Assert.Equal(0.3, statistics.AvgImportance!.Value, 6);
        Assert.Equal(0.5, statistics.AvgCorrelation!.Value, 6);
        Assert.Equal(Start.AddMinutes(1), statistics.LastUsedAt);
        Assert.Equal("1.0.0", second.FeatureVersion);
        Assert.Equal(3, (await reopened.Catalog.GetAsync("f")).UsageCount);
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("used_by_model")]
    [InlineData("feature_version")]
    [InlineData("correlation_with_target")]
    public async Task An_invalid_usage_record_is_refused_naming_the_field(string field)
    {
        await CreateAsync("f");
        var record = field switch
        {
            "environment" => new FeatureUsageRecord("f", "m") { Environment = "qa" },
            "used_by_model" => new FeatureUsageRecord("f", " "),
            "feature_version" => new FeatureUsageRecord("f", "m") { FeatureVersion = "1.x" },
            _ => new FeatureUsageRecord("f", "m") { CorrelationWithTarget = 1.5 },
        };

        var error = await RefusedAsync(ErrorCodes.InvalidArgument, () => Catalog.RecordUsageAsync(record));

        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_of_an_unknown_feature_or_version_is_not_found()
    {
        await CreateAsync("f");

        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.RecordUsageAsync(new FeatureUsageRecord("nope", "m")));
        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.RecordUsageAsync(new FeatureUsageRecord("f", "m") { FeatureVersion = "9.0.0" }));
        await RefusedAsync(ErrorCodes.NotFound, () => Catalog.GetStatisticsAsync("nope"));
    }

    [Fact]
    public async Task Serving_a_feature_service_records_usage_of_each_feature_by_the_request_model_or_the_service()
    {
        await DefineAsync("user_stats:orders_7d");
        await DefineAsync("item_info:price");
        var serving = Open(new GranaryOptions { UsageEnvironment = "staging" });
        var entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L], ["item_id"] = ["A1", "A1"] };
        await serving.GetOnlineFeaturesAsync(new OnlineFeaturesRequest { FeatureService = "recommender", Entities = entities });
        await serving.GetOnlineFeaturesAsync(new OnlineFeaturesRequest { FeatureService = "recommender", Entities = entities });
        await serving.GetOnlineFeaturesAsync(new OnlineFeaturesRequest { FeatureService = "recommender", Entities = entities, Model = "ranker_v2" });
        await serving.GetOnlineFeaturesAsync(new OnlineFeaturesRequest { Features = ["user_stats:spend_7d"], Entities = entities });

        // Disposing flushes what the interval has not written yet.
        await serving.DisposeAsync();

        var statistics = await Catalog.GetStatisticsAsync("user_stats:orders_7d");
        Assert.Equal((3L, ["ranker_v2", "recommender"], ["staging"]), (statistics.TotalUsage, statistics.Models, statistics.Environments));
        Assert.Equal(3L, (await Catalog.GetStatisticsAsync("item_info:price")).TotalUsage);
        Assert.Equal(3L, (await Catalog.GetAsync("item_info:price")).UsageCount);
    }
}
