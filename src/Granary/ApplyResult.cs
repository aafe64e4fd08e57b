using Granary.Registry.Governance;
using Granary.Registry.Planning;

namespace Granary;

/// <summary>What an apply did: the plan it carried out and the registry version it produced.</summary>
public sealed record ApplyResult(RegistryPlan Plan, long Version)
{
    /// <summary>The catalog versions the apply made, staged, promoted or archived, one line each (see <see cref="RegistryPlan.CatalogChanges"/>).</summary>
    public IReadOnlyList<CatalogChange> CatalogChanges => Plan.CatalogChanges;
}
