namespace Granary.Core.Model;

/// <summary>The kinds of object a repository defines and the registry stores.</summary>
public enum ObjectKind
{
    Entity,
    DataSource,
    FeatureView,
    FeatureService,
    Alert,
    OnDemandFeatureView,
    Experiment,
}

/// <summary>Names of <see cref="ObjectKind"/> as users read them in the CLI, YAML and the registry.</summary>
internal static class ObjectKinds
{
    /// <summary>Kinds in dependency order: an object only refers to kinds listed before it.</summary>
    public static ReadOnlySpan<ObjectKind> InDependencyOrder => [ObjectKind.Entity, ObjectKind.DataSource, ObjectKind.FeatureView, ObjectKind.FeatureService, ObjectKind.Alert, ObjectKind.OnDemandFeatureView, ObjectKind.Experiment];

    /// <summary>The storage and wire name: <c>entity</c>, <c>data_source</c>, <c>feature_view</c>, <c>feature_service</c>, <c>alert</c>, <c>experiment</c>.</summary>
    public static string Key(this ObjectKind kind) => kind switch
    {
        ObjectKind.Entity => "entity",
        ObjectKind.DataSource => "data_source",
        ObjectKind.FeatureView => "feature_view",
        ObjectKind.FeatureService => "feature_service",
        ObjectKind.Alert => "alert",
        ObjectKind.OnDemandFeatureView => "on_demand_feature_view",
        ObjectKind.Experiment => "experiment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The human name: <c>entity</c>, <c>data source</c>, <c>feature view</c>, <c>feature service</c>, <c>alert</c>, <c>experiment</c>.</summary>
    public static string DisplayName(this ObjectKind kind) => kind.Key().Replace('_', ' ');

    public static bool TryParseKey(string key, out ObjectKind kind)
    {
        foreach (var k in InDependencyOrder)
        {
            if (k.Key() == key)
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
