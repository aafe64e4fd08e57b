using System.Collections.Frozen;
using Granary.Registry;
using Granary.Resolution;

namespace Granary.OnlineServing;

/// <summary>
/// What online reads of one registry version share: its resolution (the <see cref="OnlineViewPlan"/> of every view,
/// built once, see <see cref="RegistryResolution"/>) and the queries resolved against it. A new registry version gets
/// new plans, and so an empty query cache.
/// </summary>
internal sealed class OnlinePlans
{
    private OnlinePlans(RegistryResolution resolution)
    {
        Resolution = resolution;
        Queries = new OnlineQueryCache(this);
    }

    public RegistryResolution Resolution { get; }

    public RegistryContents Registry => Resolution.Registry;

    public FrozenDictionary<string, OnlineViewPlan> Views => Resolution.Views;

    public OnlineQueryCache Queries { get; }

    public static OnlinePlans For(RegistryContents registry) => new(RegistryResolution.Of(registry));

    public static OnlinePlans For(RegistryResolution resolution) => new(resolution);
}
