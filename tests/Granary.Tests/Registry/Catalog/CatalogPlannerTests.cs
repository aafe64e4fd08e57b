using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Governance;
using Granary.Registry.Serialization;
using static Granary.Tests.Registry.Catalog.ApplyCatalogSimulation;

namespace Granary.Tests.Registry.Catalog;

/// <summary>The catalog planner numbers versions by the bump rules, writes changelogs from the diff and merges metadata without clearing what the API set.</summary>
public sealed class CatalogPlannerTests
{
    private static readonly Field Avg = new("avg", FeatureType.Float64);
    private static readonly Field Count = new("count", FeatureType.Int64);

    [Fact]
    public void First_apply_creates_the_view_and_each_feature_at_1_0_0_active_and_defined()
    {
        var registry = new ApplyCatalogSimulation();

        registry.Apply(Repository(Avg, Count));

        foreach (var name in new[] { "customer_stats", "customer_stats:avg", "customer_stats:count" })
        {
            var entry = registry.Entry(name);
            Assert.Equal(SemanticVersion.Initial, entry.CurrentVersion);
            Assert.Equal(LifecycleStatus.Active, entry.Status);
            Assert.True(entry.Defined);
            var version = Assert.Single(registry.Versions(name));
            Assert.True(version.Promoted);
            Assert.Equal(1, version.RegistryVersion);
            Assert.Equal("ana@laptop", version.CreatedBy);
        }

        Assert.Equal(CatalogEntryKind.View, registry.Entry("customer_stats").Kind);
        Assert.Equal(CatalogEntryKind.Feature, registry.Entry("customer_stats:avg").Kind);
        Assert.Null(registry.FindEntry("customer_stats:customer_id"));
        Assert.Equal("float64", registry.Entry("customer_stats:avg").Metadata.DataType);
    }

    [Fact]
    public void Snapshots_are_the_views_canonical_json_and_the_features_field()
    {
        var registry = new ApplyCatalogSimulation();
        var definitions = Repository(Avg);

        registry.Apply(definitions);

        Assert.Equal(CanonicalJson.Serialize(definitions.FeatureViews[0]), registry.Versions("customer_stats")[0].DefinitionSnapshot);
        Assert.Equal(CanonicalJson.Serialize(Avg), registry.Versions("customer_stats:avg")[0].DefinitionSnapshot);
    }

    [Fact]
    public void A_retype_is_a_major_bump_naming_the_breaking_change()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg, Count));

        var plan = registry.Apply(Repository(Avg with { Type = FeatureType.Float32 }, Count));

        var view = registry.Versions("customer_stats")[0];
        Assert.Equal(new SemanticVersion(2, 0, 0), view.Version);
        Assert.Equal(["schema.avg.dtype: float64 -> float32"], view.BreakingChanges);
        Assert.Contains("schema.avg.dtype: float64 -> float32", view.Changelog, StringComparison.Ordinal);
        Assert.Equal(new SemanticVersion(2, 0, 0), registry.Entry("customer_stats:avg").CurrentVersion);
        Assert.Equal(["dtype: float64 -> float32"], registry.Versions("customer_stats:avg")[0].BreakingChanges);
        Assert.Single(registry.Versions("customer_stats:count"));
        Assert.Contains(plan.CatalogChanges, c => c.ToString() == "catalog customer_stats 1.0.0 -> 2.0.0 (major: schema.avg.dtype: float64 -> float32)");
    }

    [Fact]
    public void An_added_feature_is_a_minor_bump_of_the_view_and_a_new_entry_at_1_0_0()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));

        registry.Apply(Repository(Avg, Count));

        Assert.Equal(new SemanticVersion(1, 1, 0), registry.Entry("customer_stats").CurrentVersion);
        Assert.Empty(registry.Versions("customer_stats")[0].BreakingChanges);
        Assert.Equal("schema.count: added", registry.Versions("customer_stats")[0].Changelog);
        Assert.Equal(SemanticVersion.Initial, registry.Entry("customer_stats:count").CurrentVersion);
        Assert.Single(registry.Versions("customer_stats:avg"));
    }

    [Fact]
    public void A_description_is_a_patch_bump_of_the_view_and_the_feature()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));

        registry.Apply(Repository(Avg with { Description = "Mean order value." }));

        Assert.Equal(new SemanticVersion(1, 0, 1), registry.Entry("customer_stats").CurrentVersion);
        Assert.Equal(new SemanticVersion(1, 0, 1), registry.Entry("customer_stats:avg").CurrentVersion);
        Assert.Equal("Mean order value.", registry.Entry("customer_stats:avg").Metadata.Description);
    }

    [Theory]
    [InlineData("ttl", 1, 1, 0)]
    [InlineData("online", 1, 1, 0)]
    [InlineData("source", 2, 0, 0)]
    [InlineData("entities", 2, 0, 0)]
    [InlineData("owner", 1, 0, 1)]
    [InlineData("feature_type", 1, 0, 1)]
    public void A_view_property_change_bumps_as_the_rules_say(string property, int major, int minor, int patch)
    {
        var registry = new ApplyCatalogSimulation();
        var before = Repository(Avg);
        registry.Apply(before with { Entities = [.. before.Entities, new Entity { Name = "region", JoinKeys = ["region_id"], ValueType = FeatureType.String }] });

        FeatureView Edit(FeatureView v) => property switch
        {
            "ttl" => v with { Ttl = TimeSpan.FromDays(3) },
            "online" => v with { Online = false },
            "source" => v with { Source = "orders_v2" },
            "entities" => v with { Entities = ["customer", "region"] },
            "owner" => v with { Owner = "ads" },
            _ => v with { Category = "behavioral" },
        };
        var after = Repository(Edit, Avg);
        registry.Apply(after with
        {
            Entities = [.. after.Entities, new Entity { Name = "region", JoinKeys = ["region_id"], ValueType = FeatureType.String }],
            Sources = [.. after.Sources, new FileSource { Name = "orders_v2", Path = "data/o2.parquet", Format = FileFormat.Parquet, TimestampField = "ts" }],
        });

        Assert.Equal(new SemanticVersion(major, minor, patch), registry.Entry("customer_stats").CurrentVersion);
        Assert.Equal(major > 1, registry.Versions("customer_stats")[0].BreakingChanges.Count > 0);
    }

    [Fact]
    public void A_transformation_change_of_any_kind_is_major_and_validation_rules_are_patch()
    {
        var registry = new ApplyCatalogSimulation();
        var sql = Avg with { Transformation = new FieldTransformation("sql", "avg(amount)") };
        registry.Apply(Repository(sql));

        registry.Apply(Repository(sql with { Validation = [new FieldValidationRule("not_null")] }));
        Assert.Equal(new SemanticVersion(1, 0, 1), registry.Entry("customer_stats:avg").CurrentVersion);

        registry.Apply(Repository(sql with { Validation = [new FieldValidationRule("not_null")], Transformation = new FieldTransformation("sql", "avg(total)") }));
        Assert.Equal(new SemanticVersion(2, 0, 0), registry.Entry("customer_stats:avg").CurrentVersion);
        Assert.Equal(new SemanticVersion(2, 0, 0), registry.Entry("customer_stats").CurrentVersion);
        Assert.Equal("avg(total)", registry.Versions("customer_stats:avg")[0].TransformationSnapshot!.Code);
        Assert.Equal("not_null", Assert.Single(registry.Versions("customer_stats:avg")[0].ValidationSnapshot).RuleType);
    }

    [Fact]
    public void Nothing_changed_means_no_catalog_writes()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg, Count));

        var plan = registry.Apply(Repository(Avg, Count));

        Assert.Empty(plan.CatalogWrites);
        Assert.Empty(plan.CatalogChanges);
    }

    [Fact]
    public void A_removed_feature_is_archived_undefined_and_keeps_its_history_and_the_view_bumps_major()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg, Count));

        registry.Apply(Repository(Avg));

        var removed = registry.Entry("customer_stats:count");
        Assert.Equal(LifecycleStatus.Archived, removed.Status);
        Assert.False(removed.Defined);
        Assert.Single(registry.Versions("customer_stats:count"));
        Assert.Equal(["schema.count: removed"], registry.Versions("customer_stats")[0].BreakingChanges);
        Assert.Equal(new SemanticVersion(2, 0, 0), registry.Entry("customer_stats").CurrentVersion);
    }

    [Fact]
    public void A_removed_view_archives_its_entry_and_its_features()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));

        registry.Apply(Repository(Avg) with { FeatureViews = [] });

        Assert.Equal(LifecycleStatus.Archived, registry.Entry("customer_stats").Status);
        Assert.Equal(LifecycleStatus.Archived, registry.Entry("customer_stats:avg").Status);
        Assert.False(registry.Entry("customer_stats:avg").Defined);
    }

    [Fact]
    public void An_owner_set_through_the_api_survives_an_apply_that_does_not_set_owner()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));
        registry.UpdateThroughApi("customer_stats:avg", m => m with { Owner = "risk-team", Tags = ["pii"] });

        registry.Apply(Repository(Avg with { Description = "Mean." }));

        var entry = registry.Entry("customer_stats:avg");
        Assert.Equal("risk-team", entry.Metadata.Owner);
        Assert.Equal(["pii"], entry.Metadata.Tags);
        Assert.Equal("Mean.", entry.Metadata.Description);
        Assert.DoesNotContain("owner", entry.AppliedKeys);
    }

    [Fact]
    public void A_key_the_definitions_stop_setting_is_cleared_and_forgotten()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg with { Owner = "ads", Tags = new Dictionary<string, string> { ["team"] = "ads" } }));
        Assert.Equal(["team=ads"], registry.Entry("customer_stats:avg").Metadata.Tags);
        Assert.Contains("owner", registry.Entry("customer_stats:avg").AppliedKeys);

        registry.Apply(Repository(Avg with { Tags = new Dictionary<string, string> { ["team"] = "ads" } }));

        var entry = registry.Entry("customer_stats:avg");
        Assert.Equal("", entry.Metadata.Owner);
        Assert.DoesNotContain("owner", entry.AppliedKeys);
        Assert.Equal(["team=ads"], entry.Metadata.Tags);
    }

    [Fact]
    public void A_key_the_definitions_set_overwrites_what_the_api_set()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg with { Owner = "ads" }));
        registry.UpdateThroughApi("customer_stats:avg", m => m with { Owner = "someone" });

        var plan = registry.Apply(Repository(Avg with { Owner = "ads" }));

        Assert.Equal("ads", registry.Entry("customer_stats:avg").Metadata.Owner);
        var write = Assert.Single(plan.CatalogWrites);
        Assert.Null(write.NewVersion);
    }

    [Fact]
    public void Governed_keys_map_to_the_catalog_shapes()
    {
        var registry = new ApplyCatalogSimulation();
        var rule = new FieldValidationRule("range", ValidationSeverity.Warn) { Parameters = new Dictionary<string, System.Text.Json.JsonElement> { ["min"] = Granary.Registry.Building.FieldBuilder.JsonValue(0L) } };
        registry.Apply(Repository(Avg with { Category = "derived", Validation = [rule, new FieldValidationRule("not_null")], UpstreamFeatures = ["orders:amount"] }));

        var meta = registry.Entry("customer_stats:avg").Metadata;
        Assert.Equal("derived", meta.FeatureType);
        Assert.Equal(["orders:amount"], meta.UpstreamFeatures);
        Assert.Collection(meta.ValidationRules,
            r => { Assert.Equal("range", r.RuleType); Assert.False(r.IsBlocking); Assert.Equal(0, r.Parameters["min"].GetInt32()); },
            r => { Assert.Equal("not_null", r.RuleType); Assert.True(r.IsBlocking); Assert.Empty(r.Parameters); });
    }

    [Fact]
    public void A_registry_applied_before_the_catalog_gets_entries_at_1_0_0_though_no_object_changed()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));
        registry.ForgetCatalog();

        var plan = registry.Apply(Repository(Avg));

        Assert.False(plan.HasChanges);
        Assert.Equal(SemanticVersion.Initial, registry.Entry("customer_stats").CurrentVersion);
        Assert.Equal(SemanticVersion.Initial, registry.Entry("customer_stats:avg").CurrentVersion);
        Assert.Equal(2, plan.CatalogWrites.Count);
    }

    [Fact]
    public void No_promote_stages_a_version_keeps_the_registry_object_and_a_plain_apply_promotes_it()
    {
        var registry = new ApplyCatalogSimulation();
        var v1 = Repository(Avg);
        registry.Apply(v1);
        var v2 = Repository(Avg with { Type = FeatureType.Float32 });

        var staged = registry.Apply(v2, promote: false);

        Assert.Empty(staged.Changes);
        Assert.Equal(["customer_stats"], staged.StagedViews);
        Assert.Equal(SemanticVersion.Initial, registry.Entry("customer_stats").CurrentVersion);
        var stagedVersion = registry.Versions("customer_stats")[0];
        Assert.Equal(new SemanticVersion(2, 0, 0), stagedVersion.Version);
        Assert.False(stagedVersion.Promoted);
        Assert.Equal(CanonicalJson.Serialize(v2.FeatureViews[0]), stagedVersion.DefinitionSnapshot);

        var again = registry.Apply(v2, promote: false);
        Assert.Empty(again.CatalogWrites);

        var promoted = registry.Apply(v2);

        Assert.Equal(new SemanticVersion(2, 0, 0), registry.Entry("customer_stats").CurrentVersion);
        Assert.Equal(2, registry.Versions("customer_stats").Count);
        Assert.True(registry.Versions("customer_stats")[0].Promoted);
        Assert.All(promoted.CatalogWrites, w => Assert.Null(w.NewVersion));
        Assert.Contains(promoted.CatalogChanges, c => c.Action == CatalogChangeAction.Promote && c.Name == "customer_stats");
        Assert.Single(promoted.Changes);
    }

    [Fact]
    public void No_promote_refuses_a_service_that_needs_a_feature_only_the_staged_version_has()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg));
        var v2 = Repository(Avg, Count) with { FeatureServices = [new FeatureService { Name = "svc", Features = [new FeatureReference("customer_stats", "count")] }] };

        var e = Assert.Throws<GranaryException>(() => registry.Apply(v2, promote: false));

        Assert.Equal(ErrorCodes.Unprocessable, e.Code);
        Assert.Contains("customer_stats:count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_feature_that_comes_back_unchanged_is_defined_and_active_again_without_a_new_version()
    {
        var registry = new ApplyCatalogSimulation();
        registry.Apply(Repository(Avg, Count));
        registry.Apply(Repository(Avg));

        registry.Apply(Repository(Avg, Count));

        var entry = registry.Entry("customer_stats:count");
        Assert.True(entry.Defined);
        Assert.Equal(LifecycleStatus.Active, entry.Status);
        Assert.Single(registry.Versions("customer_stats:count"));
        Assert.Equal(new SemanticVersion(2, 1, 0), registry.Entry("customer_stats").CurrentVersion);
    }
}
