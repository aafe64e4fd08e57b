using System.Collections.Frozen;

namespace Granary.OnDemand;

/// <summary>The C# functions on-demand features may name, registered on the <see cref="FeatureStoreBuilder"/>.</summary>
internal sealed class OnDemandFunctions(FrozenDictionary<string, OnDemandFunction> functions)
{
    public static readonly OnDemandFunctions None = new(FrozenDictionary<string, OnDemandFunction>.Empty);

    public OnDemandFunction? Find(string name) => functions.GetValueOrDefault(name);

    public IEnumerable<string> Names => functions.Keys;
}
