using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Monitoring;

/// <summary>The monitoring state kept in the registry's database: the newest event time per view and alert cool-downs.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IMonitoringStore
{
}
