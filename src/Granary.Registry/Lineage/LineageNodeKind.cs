namespace Granary.Registry.Lineage;

/// <summary>What a node of the lineage graph stands for.</summary>
public enum LineageNodeKind
{
    DataSource,
    FeatureView,

    /// <summary>A feature: <c>view:feature</c> for one a view defines, a bare name for one registered through the catalog API.</summary>
    Feature,
    FeatureService,
}
