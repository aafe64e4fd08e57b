using Granary.Registry.Planning;

namespace Granary;

/// <summary>What an apply did: the plan it carried out and the registry version it produced.</summary>
public sealed record ApplyResult(RegistryPlan Plan, long Version);
