using Granary.Core.Errors;
using Granary.Core.Providers;

namespace Granary.Registry.Configuration;

/// <summary>
/// The contents of a repository's <c>granary.yaml</c>, with variables expanded. The store sections stay generic
/// (a <c>type</c> and its keys): the provider registered for each type reads and checks its own options.
/// </summary>
public sealed record RepositoryConfig
{
    /// <summary>The file name every repository has at its root.</summary>
    public const string FileName = "granary.yaml";

    /// <summary>The registry's type when <c>registry</c> is absent or gives only a file path.</summary>
    public const string DefaultRegistryType = "sqlite";

    /// <summary>The offline engine's type when <c>offline_store</c> is absent.</summary>
    public const string DefaultOfflineType = "duckdb";

    /// <summary>The online store's type when <c>online_store</c> is absent.</summary>
    public const string DefaultOnlineType = "embedded";

    /// <summary>The project name; registry objects are scoped to it.</summary>
    public required string Project { get; init; }

    /// <summary>The absolute path of the repository root.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Where the registry lives (<c>registry</c>); an embedded SQLite file by default.</summary>
    public StoreSection Registry { get; init; } = new(DefaultRegistryType);

    /// <summary>The engine that reads the sources (<c>offline_store</c>); DuckDB by default.</summary>
    public StoreSection OfflineStore { get; init; } = new(DefaultOfflineType);

    /// <summary>The store that serves the latest values (<c>online_store</c>); the embedded store by default.</summary>
    public StoreSection OnlineStore { get; init; } = new(DefaultOnlineType);

    /// <summary>Serving log and monitor settings (<c>monitoring</c>); serving values are not logged by default.</summary>
    public MonitoringSettings Monitoring { get; init; } = MonitoringSettings.Default;

    /// <summary>Advice about the file that does not stop it from loading, such as keys no provider reads.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>The environment whose <c>config/ENV.yaml</c> was merged in (<c>--env</c>, <c>GRANARY_ENV</c>); null for none.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// The files merged into this configuration, in the order they apply (<c>granary.yaml</c>, <c>config/base.yaml</c>,
    /// <c>config/ENV.yaml</c>), relative to the repository root; empty for a configuration built in code.
    /// </summary>
    public IReadOnlyList<string> ConfigurationFiles { get; init; } = [];

    /// <summary><c>feature_store.enable_debug_logging</c>: the server logs Granary's categories at Debug (beneath the host's own logging settings).</summary>
    internal bool DebugLogging { get; init; }

    /// <summary><c>feature_store.enable_monitoring</c>: the server runs the alert monitor, as <c>granary serve --with-monitoring</c> does.</summary>
    internal bool MonitoringEnabled { get; init; }

    /// <summary>The merged YAML tree and where each of its values was written; null for a configuration built in code.</summary>
    internal ConfigurationLayers? Layers { get; init; }
}
