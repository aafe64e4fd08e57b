namespace Granary.Registry.Lineage;

/// <summary>The wire spelling of <see cref="LineageNodeKind"/>: <c>data_source</c>, <c>feature_view</c>, <c>feature</c>, <c>feature_service</c>.</summary>
public static class LineageNodeKinds
{
    public static string Key(this LineageNodeKind kind) => kind switch
    {
        LineageNodeKind.DataSource => "data_source",
        LineageNodeKind.FeatureView => "feature_view",
        LineageNodeKind.Feature => "feature",
        LineageNodeKind.FeatureService => "feature_service",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
