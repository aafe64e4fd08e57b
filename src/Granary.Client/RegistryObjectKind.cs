namespace Granary.Client;

/// <summary>The kinds of registry object the server lists and describes.</summary>
public enum RegistryObjectKind
{
    /// <summary><c>GET /entities</c>.</summary>
    Entity,

    /// <summary><c>GET /feature-views</c>.</summary>
    FeatureView,

    /// <summary><c>GET /feature-services</c>.</summary>
    FeatureService,

    /// <summary><c>GET /data-sources</c>.</summary>
    DataSource,

    /// <summary><c>GET /alerts</c> (webhooks redacted).</summary>
    Alert,
}
