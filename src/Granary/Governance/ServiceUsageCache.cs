using System.Collections.Concurrent;
using Granary.Registry;
using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>
/// The features (with their current versions) each feature service serves, for one registry snapshot: what automatic
/// usage recording queues per served request, built once per service so a request allocates nothing for it.
/// </summary>
internal sealed class ServiceUsageCache(RegistryContents registry)
{
    private static readonly UsedFeature[] None = [];

    private readonly ConcurrentDictionary<string, UsedFeature[]> _services = new(StringComparer.Ordinal);

    public RegistryContents Registry => registry;

    public UsedFeature[] FeaturesOf(string service) =>
        _services.TryGetValue(service, out var features) ? features : _services.GetOrAdd(service, Build(service));

    private UsedFeature[] Build(string service)
    {
        if (registry.Definitions.FindFeatureService(service) is not { } found || found.Features.Count == 0)
        {
            return None;
        }

        var features = new UsedFeature[found.Features.Count];
        for (var i = 0; i < features.Length; i++)
        {
            var name = found.Features[i].ToString();
            features[i] = new UsedFeature(name, CurrentVersionOf(name));
        }

        return features;
    }

    // Until the registry snapshot carries the catalog, every feature serves its first version.
    private static string CurrentVersionOf(string name) => name.Length >= 0 ? SemanticVersion.Initial.ToString() : "";
}
