namespace Granary.Client.Http;

/// <summary>The registry's read-only views: each kind's path and the property its list is under.</summary>
internal static class RegistryPaths
{
    public static string Path(RegistryObjectKind kind) => kind switch
    {
        RegistryObjectKind.Entity => "entities",
        RegistryObjectKind.FeatureView => "feature-views",
        RegistryObjectKind.FeatureService => "feature-services",
        RegistryObjectKind.Alert => "alerts",
        _ => "data-sources",
    };

    public static string Property(RegistryObjectKind kind) => kind switch
    {
        RegistryObjectKind.Entity => "entities",
        RegistryObjectKind.FeatureView => "feature_views",
        RegistryObjectKind.FeatureService => "feature_services",
        RegistryObjectKind.Alert => "alerts",
        _ => "data_sources",
    };
}
