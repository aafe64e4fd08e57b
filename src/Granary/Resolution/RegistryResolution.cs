using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.OnlineServing;
using Granary.Registry;

namespace Granary.Resolution;

/// <summary>
/// Turns names into what engines and stores need, once per registry version and the same way for every path: online
/// reads (whose plans and query cache sit on top of this), historical retrieval, push and materialization. A view
/// resolves to its <see cref="OnlineViewPlan"/> (join keys and their types, record schema, batch source by the one rule
/// of <see cref="BatchSources"/>); feature references, feature services and push sources resolve through it, so every
/// path reports the same mistake with the same error.
/// </summary>
/// <remarks>
/// Kept per <see cref="RegistryContents"/> instance (a registry version), weakly, so that every caller that holds the
/// same version shares one resolution and a version no longer held is collected with it. Building it touches every view
/// once; what a request costs afterwards is a dictionary lookup.
/// </remarks>
internal sealed class RegistryResolution
{
    private static readonly ConditionalWeakTable<RegistryContents, RegistryResolution> ByRegistry = new();

    private readonly FrozenDictionary<string, GranaryException> _broken;

    private RegistryResolution(RegistryContents registry)
    {
        Registry = registry;
        var views = new Dictionary<string, OnlineViewPlan>(StringComparer.Ordinal);
        var broken = new Dictionary<string, GranaryException>(StringComparer.Ordinal);
        foreach (var view in registry.Definitions.FeatureViews)
        {
            try
            {
                views[view.Name] = OnlineViewPlan.For(view, registry.Definitions);
            }
            catch (GranaryException e)
            {
                // A view that names an entity the registry lacks fails where it is used, not every other view with it.
                broken[view.Name] = e;
            }
        }

        Views = views.ToFrozenDictionary(StringComparer.Ordinal);
        _broken = broken.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public RegistryContents Registry { get; }

    public DefinitionSet Definitions => Registry.Definitions;

    /// <summary>Every view that resolved, by name.</summary>
    public FrozenDictionary<string, OnlineViewPlan> Views { get; }

    public static RegistryResolution Of(RegistryContents registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return ByRegistry.GetValue(registry, static r => new RegistryResolution(r));
    }

    /// <summary>The error every path gives for a view or push source without a batch source; <paramref name="problem"/> names the source at fault.</summary>
    public static GranaryException SourceError(string problem) => new(ErrorCodes.UnknownReference, problem);

    /// <summary>The view named <paramref name="name"/>: <see cref="ErrorCodes.NotFound"/> (with a hint) when there is none.</summary>
    public OnlineViewPlan View(string name)
    {
        if (Views.TryGetValue(name, out var plan))
        {
            return plan;
        }

        throw _broken.TryGetValue(name, out var error)
            ? new GranaryException(error.Code, error.Message, error)
            : NotFound("feature view", name, Definitions.FeatureViews.Select(v => v.Name));
    }

    /// <summary>The position of <paramref name="feature"/> in <paramref name="plan"/>'s schema: <see cref="ErrorCodes.NotFound"/> (with a hint) when it has none.</summary>
    public static int FeatureIndex(OnlineViewPlan plan, string feature)
    {
        var index = plan.Schema.IndexOf(feature);
        if (index >= 0)
        {
            return index;
        }

        var names = plan.Schema.Features.Select(f => f.Name).ToList();
        var hint = Suggestions.Closest(feature, names) is { } s ? $" Did you mean '{plan.Name}:{s}'?" : $" It has: {string.Join(", ", names)}.";
        throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{plan.Name}' has no feature '{feature}'.{hint}");
    }

    /// <summary>
    /// The references a request names: the feature service's features, or <paramref name="features"/> parsed. With
    /// <paramref name="serviceOverridesFeatures"/> (Feast's online API), features given beside a service are ignored;
    /// otherwise naming both is a mistake.
    /// </summary>
    public List<FeatureReference> References(IReadOnlyList<string> features, string? service, bool serviceOverridesFeatures)
    {
        if (service is null && features.Count == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "Name either features (view:feature, ...) or a feature service.");
        }

        if (service is not null && features.Count > 0 && !serviceOverridesFeatures)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "Name either features (view:feature, ...) or a feature service, not both.");
        }

        if (service is not null)
        {
            var found = Definitions.FindFeatureService(service) ?? throw NotFound("feature service", service, Definitions.FeatureServices.Select(s => s.Name));
            return [.. found.Features];
        }

        var references = new List<FeatureReference>(features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            references.Add(FeatureReference.TryParse(features[i], out var r)
                ? r
                : throw new GranaryException(ErrorCodes.InvalidArgument, $"features[{i}]: '{features[i]}' is not of the form view:feature."));
        }

        return references;
    }

    /// <summary>The push source named <paramref name="name"/>, its batch source and the views that read it.</summary>
    public ResolvedPushSource PushSource(string name)
    {
        var push = Definitions.FindSource(name) switch
        {
            Core.Model.PushSource p => p,
            null => throw NotFound("push source", name, Definitions.Sources.Where(s => s is Core.Model.PushSource).Select(s => s.Name)),
            var other => throw new GranaryException(ErrorCodes.InvalidArgument, $"Source '{other.Name}' is a {other.SourceType} source, not a push source."),
        };
        var batch = BatchSources.OfPushSource(Definitions, push, out var problem) ?? throw SourceError(problem!);
        var views = new List<OnlineViewPlan>();
        foreach (var view in Definitions.FeatureViews)
        {
            if (view.Source == push.Name)
            {
                views.Add(View(view.Name));
            }
        }

        return new ResolvedPushSource(push, batch, views);
    }

    /// <summary>A name that is not in the registry, with the closest one as a hint, or the advice to apply when the registry is empty.</summary>
    public GranaryException NotFound(string kind, string name, IEnumerable<string> candidates)
    {
        if (Registry.Version == 0)
        {
            return new GranaryException(ErrorCodes.NotFound, $"The registry of project '{Registry.Project}' is empty; run 'granary apply' first.");
        }

        var hint = Suggestions.Closest(name, candidates) is { } s ? $" Did you mean '{s}'?" : "";
        return new GranaryException(ErrorCodes.NotFound, $"No {kind} '{name}' in project '{Registry.Project}'.{hint}");
    }
}
