using System.Collections.Concurrent;
using System.Collections.Frozen;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Registry;
using Granary.Resolution;

namespace Granary.OnDemand;

/// <summary>
/// The on-demand views of one registry version, compiled once (see <see cref="OnDemandViewPlan"/>), and the requests
/// resolved against them by shape. A registry without on-demand views costs a request one field read.
/// </summary>
internal sealed class OnDemandPlans
{
    private const int Capacity = 1024;

    // Per shape: the resolved query, or NotOnDemand for a request that reads stored features only.
    private static readonly OnDemandQuery NotOnDemand = OnDemandQuery.None;
    private readonly ConcurrentDictionary<OnlineQueryShape, OnDemandQuery> _queries = new();
    private readonly FrozenDictionary<string, OnDemandViewPlan> _views;
    private readonly Dictionary<string, GranaryException> _broken = new(StringComparer.Ordinal);

    public OnDemandPlans(RegistryContents registry, OnDemandFunctions functions)
    {
        Registry = registry;
        var views = new Dictionary<string, OnDemandViewPlan>(StringComparer.Ordinal);
        foreach (var view in registry.Definitions.OnDemandFeatureViews)
        {
            try
            {
                views[view.Name] = OnDemandViewPlan.For(view, registry.Definitions, functions);
            }
            catch (GranaryException e)
            {
                // Checked at apply; a registry written by another version may still disagree. Fails where it is used.
                _broken[view.Name] = new GranaryException(ErrorCodes.InvalidDefinition, $"On-demand feature view '{view.Name}' cannot be computed: {e.Message}", e);
            }
        }

        _views = views.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public RegistryContents Registry { get; }

    public bool IsEmpty => _views.Count == 0 && _broken.Count == 0;

    public bool IsOnDemand(string view) => _views.ContainsKey(view) || _broken.ContainsKey(view);

    public OnDemandViewPlan View(string name) =>
        _views.TryGetValue(name, out var plan) ? plan : throw _broken[name];

    /// <summary>The query for requests of <paramref name="shape"/>, or null when they read no on-demand feature.</summary>
    public OnDemandQuery? Query(OnlineQueryShape shape, RegistryResolution resolution)
    {
        if (_queries.TryGetValue(shape, out var cached))
        {
            return ReferenceEquals(cached, NotOnDemand) ? null : cached;
        }

        var query = OnDemandQuery.Resolve(shape, resolution, this) ?? NotOnDemand;
        if (_queries.Count < Capacity)
        {
            _queries.TryAdd(shape.Detach(), query);
        }

        return ReferenceEquals(query, NotOnDemand) ? null : query;
    }
}
