using Granary.Core.Model;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Resolution;
using Granary.Tests.Resolution;

namespace Granary.Tests.Governance.Serving;

/// <summary>
/// A registry whose view <c>ad_stats</c> went through versions, with the catalog a store would load with it:
/// 1.0.0 (ctr int64, clicks), 1.1.0 (adds impressions), 2.0.0 (ctr retyped to float64, clicks removed: current),
/// 3.0.0 (staged by <c>apply --no-promote</c>: adds reach). <c>ad_stats:clicks</c> is archived (removed),
/// <c>ad_stats:impressions</c> deprecated.
/// </summary>
internal static class ServingCatalogs
{
    public const string Project = "shop";

    public static FeatureView Version1 => View([new Field("ctr", FeatureType.Int64), new Field("clicks", FeatureType.Int64)]);

    public static FeatureView Version11 => View([new Field("ctr", FeatureType.Int64), new Field("clicks", FeatureType.Int64), new Field("impressions", FeatureType.Int64)]);

    public static FeatureView Version2 => View([new Field("ctr", FeatureType.Float64), new Field("impressions", FeatureType.Int64)]);

    public static FeatureView Version3 => View([new Field("ctr", FeatureType.Float64), new Field("impressions", FeatureType.Int64), new Field("reach", FeatureType.Int64)]);

    public static FeatureView View(IReadOnlyList<Field> schema) => new()
    {
        Name = "ad_stats",
        Entities = ["ad"],
        Schema = [new Field("ad_id", FeatureType.Int64), .. schema],
        Source = "ads_file",
        Online = true,
        Ttl = TimeSpan.Zero,
    };

    public static DefinitionSet Definitions(FeatureView current) => new()
    {
        Entities = [new Entity { Name = "ad", JoinKeys = ["ad_id"], ValueType = FeatureType.Int64 }],
        Sources = [new FileSource { Name = "ads_file", Path = "ads.parquet", Format = FileFormat.Parquet, TimestampField = "ts" }],
        FeatureViews = [current],
    };

    public static CatalogVersion Version(string version, FeatureView snapshot, bool promoted = true) =>
        new(Project, "ad_stats", SemanticVersion.Parse(version)) { DefinitionSnapshot = CanonicalJson.Serialize(snapshot), Promoted = promoted };

    public static IReadOnlyList<CatalogVersion> History() =>
    [
        Version("1.0.0", Version1),
        Version("1.1.0", Version11),
        Version("2.0.0", Version2),
        Version("3.0.0", Version3, promoted: false),
    ];

    public static IReadOnlyList<CatalogEntry> Entries(string current = "2.0.0", LifecycleStatus clicks = LifecycleStatus.Archived, LifecycleStatus impressions = LifecycleStatus.Deprecated) =>
    [
        new(Project, "ad_stats", CatalogEntryKind.View) { CurrentVersion = SemanticVersion.Parse(current), Defined = true },
        new(Project, "ad_stats:ctr", CatalogEntryKind.Feature) { Defined = true },
        new(Project, "ad_stats:clicks", CatalogEntryKind.Feature) { Status = clicks },
        new(Project, "ad_stats:impressions", CatalogEntryKind.Feature) { Status = impressions, Defined = true },
    ];

    /// <summary>The registry with <see cref="Version2"/> current, resolved over the catalog above.</summary>
    public static RegistryResolution Resolution(IReadOnlyList<CatalogEntry>? entries = null, IReadOnlyList<CatalogVersion>? versions = null, FeatureView? current = null)
    {
        var registry = ResolutionFixtures.RegistryOf(Definitions(current ?? Version2), Project);
        var history = versions ?? History();
        return RegistryResolution.Create(registry, new ServingCatalog(entries ?? Entries(), name => [.. history.Where(v => v.Name == name)]));
    }
}
