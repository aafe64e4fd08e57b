using System.Collections.Concurrent;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Resolution;

namespace Granary.Governance;

/// <summary>
/// The features (with the versions served) each feature service serves, for one registry snapshot: what automatic
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
            var reference = found.Features[i];
            var name = $"{reference.View}:{reference.Feature}";
            var version = reference.Version is null ? null : PinnedVersionOf(name, reference);
            features[i] = new UsedFeature(name, (version ?? CurrentVersionOf(name)).ToString());
        }

        return features;
    }

    // A feature without an entry yet (a registry applied before catalogs) serves as its first version.
    private SemanticVersion CurrentVersionOf(string name) => registry.Catalog.FindEntry(name)?.CurrentVersion ?? SemanticVersion.Initial;

    /// <summary>
    /// The feature's version that a pinned reference (<c>view@v1:feature</c>, <c>view@1.0.0:feature</c>) serves: the
    /// one holding the field as the picked view version defines it, preferably made by the same apply; null when the
    /// catalog cannot tell (the read refuses such a reference itself, or the feature has no recorded definitions).
    /// </summary>
    private SemanticVersion? PinnedVersionOf(string name, FeatureReference reference)
    {
        OnlineViewPlan plan;
        try
        {
            plan = RegistryResolution.Of(registry).View(reference);
        }
        catch (GranaryException)
        {
            return null;
        }

        if (plan.Version is not { } viewVersion || plan.View.Schema.FirstOrDefault(f => f.Name == reference.Feature) is not { } field)
        {
            return null;
        }

        var served = registry.Catalog.FindVersion(reference.View, viewVersion);
        var snapshot = CanonicalJson.Serialize(field);
        CatalogVersion? match = null;
        foreach (var version in registry.Catalog.VersionsOf(name))
        {
            if (version.DefinitionSnapshot != snapshot)
            {
                continue;
            }

            if (served?.RegistryVersion is { } applied && version.RegistryVersion == applied)
            {
                return version.Version;
            }

            // Newest first: the newest holding that definition, unless an older one was made by the view version's apply.
            match ??= version;
        }

        return match?.Version;
    }
}
