using Granary.Registry.Monitoring;

namespace Granary;

// What the alert monitor (Monitoring/AlertMonitor.cs) needs from the store besides its registry: the registry's
// monitoring state and its clock.
public sealed partial class FeatureStore
{
    internal IMonitoringStore MonitoringState => _store;

    internal TimeProvider Clock => _options.TimeProvider;
}
