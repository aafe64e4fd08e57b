using Granary.Core.Errors;
using Granary.Registry.Alerts;
using Granary.Registry.Loading;
using Granary.Registry.Monitoring;

namespace Granary;

// What the alert monitor (Monitoring/AlertMonitor.cs) needs from the store: its alerts, its registry's monitoring
// state and its clock.
public sealed partial class FeatureStore
{
    /// <summary>The repository's <c>alerts:</c>, read from its YAML; none for a store built in code.</summary>
    /// <exception cref="DefinitionException">The definitions have mistakes.</exception>
    internal IReadOnlyList<AlertDefinition> LoadAlerts()
    {
        if (string.IsNullOrEmpty(Config.RepositoryRoot) || !Directory.Exists(Config.RepositoryRoot))
        {
            return [];
        }

        var loaded = RepositoryLoader.Load(Config);
        if (loaded.Diagnostics.Count > 0)
        {
            throw new DefinitionException(loaded.Diagnostics);
        }

        return loaded.Alerts;
    }

    internal IMonitoringStore MonitoringState => _store;

    internal TimeProvider Clock => _options.TimeProvider;
}
