using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Monitoring;

/// <summary>Stored feature profiles, kept in the registry's database beside the catalog (SQLite and PostgreSQL alike).</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IProfileStore
{
}
