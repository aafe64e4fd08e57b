using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Registry.Catalog;
using Granary.Resolution;

namespace Granary.Tests.Governance.Serving;

/// <summary>
/// How references resolve against a snapshot's catalog: which version's definition and which online namespace each
/// reads, what a query names its columns, and the lifecycle refusals, with hand-made catalog versions.
/// </summary>
public sealed class VersionedResolutionTests
{
    private static OnlineQuery Query(RegistryResolution resolution, bool fullNames, params string[] features) =>
        OnlinePlans.For(resolution).Queries.Get(OnlineQueryShape.Of(new OnlineFeaturesRequest
        {
            Features = features,
            FullFeatureNames = fullNames,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["ad_id"] = [1L] },
        }));

    private static string[] SchemaOf(OnlineViewPlan plan) => [.. plan.Schema.Features.Select(f => $"{f.Name}:{f.Type}")];

    [Fact]
    public void A_major_selector_reads_the_newest_version_of_that_major_with_its_definition()
    {
        var resolution = ServingCatalogs.Resolution();

        var plan = resolution.View(FeatureReference.Parse("ad_stats@v1:ctr"));

        Assert.Equal(SemanticVersion.Parse("1.1.0"), plan.Version);
        Assert.Equal(["ctr:int64", "clicks:int64", "impressions:int64"], SchemaOf(plan));
        Assert.Equal("ad_stats", plan.Namespace);
    }

    [Fact]
    public void A_staged_version_is_read_by_its_major_and_only_by_it()
    {
        var resolution = ServingCatalogs.Resolution();

        var staged = resolution.View(FeatureReference.Parse("ad_stats@v3:reach"));
        var current = resolution.View(FeatureReference.Parse("ad_stats:ctr"));

        Assert.Equal(SemanticVersion.Parse("3.0.0"), staged.Version);
        Assert.Equal("ad_stats@v3", staged.Namespace);
        Assert.Null(current.Version);
        Assert.DoesNotContain("reach:int64", SchemaOf(current));
        var e = Assert.Throws<GranaryException>(() => RegistryResolution.FeatureIndex(current, "reach"));
        Assert.Equal(ErrorCodes.NotFound, e.Code);
    }

    [Fact]
    public void An_exact_selector_reads_exactly_that_version()
    {
        var resolution = ServingCatalogs.Resolution();

        var plan = resolution.View(FeatureReference.Parse("ad_stats@1.0.0:clicks"));

        Assert.Equal(SemanticVersion.Parse("1.0.0"), plan.Version);
        Assert.Equal(["ctr:int64", "clicks:int64"], SchemaOf(plan));
    }

    [Fact]
    public void The_current_version_reads_the_namespace_of_its_major()
    {
        var promoted = ServingCatalogs.Resolution();
        var before = ServingCatalogs.Resolution(ServingCatalogs.Entries(current: "1.1.0"), current: ServingCatalogs.Version11);

        Assert.Equal("ad_stats@v2", promoted.View("ad_stats").Namespace);
        Assert.Equal("ad_stats@v2", promoted.View(FeatureReference.Parse("ad_stats@2.0.0:ctr")).Namespace);
        Assert.Equal("ad_stats", before.View("ad_stats").Namespace);
    }

    [Fact]
    public void A_view_the_catalog_does_not_know_keeps_its_records_under_its_name()
    {
        var resolution = ServingCatalogs.Resolution(entries: [], versions: []);

        Assert.Equal("ad_stats", resolution.View("ad_stats").Namespace);
        var e = Assert.Throws<GranaryException>(() => resolution.View(FeatureReference.Parse("ad_stats@v2:ctr")));
        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("no recorded versions", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ad_stats@v4:ctr", "with major 4")]
    [InlineData("ad_stats@1.2.0:ctr", "1.2.0")]
    public void An_unknown_version_is_not_found_naming_the_versions_that_exist(string reference, string wanted)
    {
        var resolution = ServingCatalogs.Resolution();

        var e = Assert.Throws<GranaryException>(() => resolution.View(FeatureReference.Parse(reference)));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains($"no version {wanted}", e.Message, StringComparison.Ordinal);
        Assert.Contains("3.0.0, 2.0.0, 1.1.0, 1.0.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feature_missing_from_the_version_is_not_found()
    {
        var resolution = ServingCatalogs.Resolution();

        var e = Assert.Throws<GranaryException>(() => Query(resolution, false, "ad_stats@1.0.0:impressions"));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("'ad_stats@1.0.0' has no feature 'impressions'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_version_resolves_once_per_snapshot()
    {
        var resolution = ServingCatalogs.Resolution();

        var first = resolution.View(FeatureReference.Parse("ad_stats@v1:ctr"));
        var again = resolution.View(FeatureReference.Parse("ad_stats@1.1.0:ctr"));
        var byName = resolution.View("ad_stats@v1");

        Assert.Same(first, again);
        Assert.Same(first, byName);
    }

    [Fact]
    public void Full_feature_names_keep_the_references_qualifier_as_Feast_names_them()
    {
        var resolution = ServingCatalogs.Resolution();

        var query = Query(resolution, true, "ad_stats@v1:ctr", "ad_stats:ctr", "ad_stats@2.0.0:ctr");

        Assert.Equal(["ad_id", "ad_stats@v1__ctr", "ad_stats__ctr", "ad_stats@2.0.0__ctr"], query.Names);
        Assert.Equal(["ad_stats", "ad_stats@v2", "ad_stats@v2"], query.Views.Select(v => v.Plan.Namespace));
    }

    [Fact]
    public void Two_versions_of_one_feature_without_full_names_collide()
    {
        var resolution = ServingCatalogs.Resolution();

        var e = Assert.Throws<GranaryException>(() => Query(resolution, false, "ad_stats@v1:ctr", "ad_stats:ctr"));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("full_feature_names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archived_feature_is_refused_as_not_found_saying_it_is_archived()
    {
        var resolution = ServingCatalogs.Resolution();

        var e = Assert.Throws<GranaryException>(() => Query(resolution, false, "ad_stats@v1:clicks"));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("'ad_stats:clicks' is archived", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archived_view_refuses_every_feature_of_it()
    {
        var entries = ServingCatalogs.Entries().Select(e => e.Kind == CatalogEntryKind.View ? e with { Status = LifecycleStatus.Archived } : e).ToList();
        var resolution = ServingCatalogs.Resolution(entries);

        var e = Assert.Throws<GranaryException>(() => Query(resolution, false, "ad_stats:ctr"));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("Feature view 'ad_stats' is archived", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_query_lists_the_deprecated_features_it_reads_and_none_when_it_reads_none()
    {
        var resolution = ServingCatalogs.Resolution();

        var deprecated = Query(resolution, true, "ad_stats:ctr", "ad_stats:impressions");
        var clean = Query(resolution, false, "ad_stats:ctr");

        Assert.Equal(["ad_stats:impressions"], deprecated.Deprecated!);
        Assert.Null(clean.Deprecated);
    }

    [Fact]
    public void A_version_without_a_recorded_definition_is_not_found()
    {
        var versions = new List<CatalogVersion>(ServingCatalogs.History()) { new(ServingCatalogs.Project, "ad_stats", new SemanticVersion(0, 9, 0)) };
        var resolution = ServingCatalogs.Resolution(versions: versions);

        var e = Assert.Throws<GranaryException>(() => resolution.View(FeatureReference.Parse("ad_stats@0.9.0:ctr")));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("no recorded definition", e.Message, StringComparison.Ordinal);
    }
}
