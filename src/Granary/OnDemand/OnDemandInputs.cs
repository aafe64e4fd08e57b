using System.Collections.Frozen;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Values;

namespace Granary.OnDemand;

/// <summary>
/// One row's inputs to an <see cref="OnDemandFunction"/>: request fields by name, source features as
/// <c>view.feature</c>. The same instance is reused for every row of a request: read it during the call, do not keep it.
/// </summary>
public sealed class OnDemandInputs
{
    private readonly FrozenDictionary<string, int> _ordinals;
    private readonly FeatureValue[] _cells;

    internal OnDemandInputs(FrozenDictionary<string, int> ordinals, FeatureValue[] cells)
    {
        _ordinals = ordinals;
        _cells = cells;
    }

    /// <summary>The names this row has, in no particular order.</summary>
    public IEnumerable<string> Names => _ordinals.Keys;

    /// <summary>The input named <paramref name="name"/> (null when the request or the online store had no value).</summary>
    /// <exception cref="GranaryException">The view has no input of that name.</exception>
    public FeatureValue this[string name] => _ordinals.TryGetValue(name, out var ordinal)
        ? _cells[ordinal]
        : throw new GranaryException(ErrorCodes.InvalidArgument, $"An on-demand function asked for input '{name}', which the view does not have; it has {string.Join(", ", _ordinals.Keys)}.");

    public bool TryGet(string name, out FeatureValue value)
    {
        if (_ordinals.TryGetValue(name, out var ordinal))
        {
            value = _cells[ordinal];
            return true;
        }

        value = default;
        return false;
    }
}
