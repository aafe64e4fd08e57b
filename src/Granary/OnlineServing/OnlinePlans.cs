using System.Collections.Frozen;
using Granary.Registry;

namespace Granary.OnlineServing;

/// <summary>
/// The <see cref="OnlineViewPlan"/> of every view of one registry version, built once and shared by readers, with the
/// queries resolved against them. A new registry version gets new plans, and so an empty query cache.
/// </summary>
internal sealed class OnlinePlans
{
    private OnlinePlans(RegistryContents registry, FrozenDictionary<string, OnlineViewPlan> views)
    {
        Registry = registry;
        Views = views;
        Queries = new OnlineQueryCache(this);
    }

    public RegistryContents Registry { get; }

    public FrozenDictionary<string, OnlineViewPlan> Views { get; }

    public OnlineQueryCache Queries { get; }

    public static OnlinePlans For(RegistryContents registry)
    {
        var views = new Dictionary<string, OnlineViewPlan>(StringComparer.Ordinal);
        foreach (var view in registry.Definitions.FeatureViews)
        {
            views[view.Name] = OnlineViewPlan.For(view, registry.Definitions);
        }

        return new OnlinePlans(registry, views.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
