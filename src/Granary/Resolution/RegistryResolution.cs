using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.OnlineServing;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;

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

    // Pinned versions, built on first use and kept with the snapshot: a request never parses a snapshot again.
    private readonly ConcurrentDictionary<(string View, SemanticVersion Version), OnlineViewPlan> _pinned = new();

    private RegistryResolution(RegistryContents registry, ServingCatalog catalog)
    {
        Registry = registry;
        Catalog = catalog;
        var views = new Dictionary<string, OnlineViewPlan>(StringComparer.Ordinal);
        var broken = new Dictionary<string, GranaryException>(StringComparer.Ordinal);
        foreach (var view in registry.Definitions.FeatureViews)
        {
            try
            {
                views[view.Name] = OnlineViewPlan.For(view, registry.Definitions, OnlineNamespace.Of(view.Name, catalog.CurrentMajor(view.Name)));
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

    /// <summary>The snapshot's catalog as serving sees it: versions, current majors, deprecated and archived entries.</summary>
    public ServingCatalog Catalog { get; }

    /// <summary>Every view that resolved, by name.</summary>
    public FrozenDictionary<string, OnlineViewPlan> Views { get; }

    public static RegistryResolution Of(RegistryContents registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return ByRegistry.GetValue(registry, static r => new RegistryResolution(r, ServingCatalogOf(r)));
    }

    /// <summary>A resolution over an explicit catalog, not kept with the snapshot.</summary>
    internal static RegistryResolution Create(RegistryContents registry, ServingCatalog catalog) => new(registry, catalog);

    private static ServingCatalog ServingCatalogOf(RegistryContents registry) =>
        registry.Catalog.Entries.Count == 0 ? ServingCatalog.Empty : new ServingCatalog(registry.Catalog.Entries, registry.Catalog.VersionsOf);

    /// <summary>The error every path gives for a view or push source without a batch source; <paramref name="problem"/> names the source at fault.</summary>
    public static GranaryException SourceError(string problem) => new(ErrorCodes.UnknownReference, problem);

    /// <summary>The view named <paramref name="name"/>: <see cref="ErrorCodes.NotFound"/> (with a hint) when there is none.</summary>
    public OnlineViewPlan View(string name)
    {
        if (Views.TryGetValue(name, out var plan))
        {
            return plan;
        }

        // view@v2 / view@1.2.0 (materialize --views, write-to-online-store, value addresses): that version.
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            var versionText = name.AsSpan(at + 1);
            if (versionText.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                return View(name[..at]);
            }

            if (FeatureVersionSelector.TryParse(versionText.ToString(), out var selector))
            {
                return View(name[..at], selector);
            }

            throw new GranaryException(ErrorCodes.InvalidArgument, $"'{name}': expected view, view@vN or view@MAJOR.MINOR.PATCH.");
        }

        throw _broken.TryGetValue(name, out var error)
            ? new GranaryException(error.Code, error.Message, error)
            : NotFound("feature view", name, Definitions.FeatureViews.Select(v => v.Name));
    }

    /// <summary>The view a reference reads: its current version, or the version its selector picks.</summary>
    public OnlineViewPlan View(FeatureReference reference) =>
        reference.Version is { } selector ? View(reference.View, selector) : View(reference.View);

    /// <summary>
    /// The version of <paramref name="view"/> that <paramref name="selector"/> picks (the newest with its major, staged
    /// or promoted, or exactly it), with that version's definition and online namespace: <see cref="ErrorCodes.NotFound"/>
    /// naming the versions that exist when there is none.
    /// </summary>
    public OnlineViewPlan View(string view, FeatureVersionSelector selector)
    {
        var current = View(view);
        var found = Catalog.Find(view, selector);
        if (found is null)
        {
            var versions = Catalog.VersionsOf(view);
            var have = versions.Count == 0 ? "it has no recorded versions" : $"it has {string.Join(", ", versions.Select(v => v.Version.ToString()))}";
            var wanted = selector.IsExact ? selector.ToString() : $"with major {selector.Major}";
            throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{view}' has no version {wanted}; {have}.");
        }

        return _pinned.GetOrAdd((view, found.Version), static (key, state) => state.Self.Pin(state.Current, state.Found), (Self: this, Current: current, Found: found));
    }

    private OnlineViewPlan Pin(OnlineViewPlan current, CatalogVersion version)
    {
        if (version.DefinitionSnapshot is not { } json)
        {
            throw new GranaryException(ErrorCodes.NotFound, $"Version {version.Version} of feature view '{current.Name}' has no recorded definition to serve.");
        }

        FeatureView pinned;
        try
        {
            pinned = CanonicalJsonReader.Read(ObjectKind.FeatureView, json) as FeatureView
                ?? throw new GranaryException(ErrorCodes.NotFound, $"Version {version.Version} of '{current.Name}' is not a feature view's definition.");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new GranaryException(ErrorCodes.Unprocessable, $"The recorded definition of version {version.Version} of feature view '{current.Name}' cannot be read: {e.Message}", e);
        }

        return OnlineViewPlan.For(pinned, Definitions, OnlineNamespace.Of(current.Name, version.Version.Major), version.Version);
    }

    /// <summary>
    /// Refuses a reference to an archived feature or view (<see cref="ErrorCodes.NotFound"/>, saying it is archived);
    /// true when it is deprecated (serving it works, with a warning). Cheap when nothing is deprecated or archived.
    /// </summary>
    public bool CheckLifecycle(FeatureReference reference)
    {
        if (!Catalog.HasNotices)
        {
            return false;
        }

        var name = $"{reference.View}:{reference.Feature}";
        var feature = Catalog.NoticeOf(name);
        var view = Catalog.NoticeOf(reference.View);
        if (feature == LifecycleStatus.Archived || view == LifecycleStatus.Archived)
        {
            var what = feature == LifecycleStatus.Archived ? $"Feature '{name}' is archived" : $"Feature view '{reference.View}' is archived";
            throw new GranaryException(ErrorCodes.NotFound, $"{what}; it is no longer served. Serve another feature, or activate a new version of it.");
        }

        return feature == LifecycleStatus.Deprecated || view == LifecycleStatus.Deprecated;
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
        var hint = Suggestions.Closest(feature, names) is { } s ? $" Did you mean '{plan.Label}:{s}'?" : $" It has: {string.Join(", ", names)}.";
        throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{plan.Label}' has no feature '{feature}'.{hint}");
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
                : throw new GranaryException(ErrorCodes.InvalidArgument, $"features[{i}]: '{features[i]}' is not of the form view:feature, view@vN:feature or view@MAJOR.MINOR.PATCH:feature."));
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
