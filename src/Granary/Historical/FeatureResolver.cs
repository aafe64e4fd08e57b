using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Registry;
using Granary.Resolution;

namespace Granary.Historical;

/// <summary>
/// Turns a request's feature references or feature service into engine views, through the registry's one resolution
/// (<see cref="RegistryResolution"/>): the same views, features and batch sources online reads and materialization see.
/// A stream view reads the events its source logged (<see cref="StreamEventLog"/>). A version-qualified reference
/// (<c>view@v2:feature</c>) reads with that version's definition, its columns named as Feast names them
/// (<c>view@v2__feature</c> with full feature names).
/// </summary>
internal static class FeatureResolver
{
    public static ResolvedFeatures Resolve(HistoricalFeaturesRequest request, RegistryContents registry)
    {
        var resolution = RegistryResolution.Of(registry);
        var references = resolution.References(request.Features, request.FeatureService, serviceOverridesFeatures: false);
        var views = new List<PointInTimeView>();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var byView = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            if (registry.Definitions.FindOnDemandFeatureView(reference.View) is not null && registry.Definitions.FindFeatureView(reference.View) is null)
            {
                throw new GranaryException(
                    ErrorCodes.InvalidArgument,
                    $"'{reference}' is an on-demand feature; historical retrieval does not compute on-demand features yet. Ask for its sources' features and the request columns, and compute it from them.");
            }

            var plan = resolution.View(reference);
            RegistryResolution.FeatureIndex(plan, reference.Feature);
            resolution.CheckLifecycle(reference);
            if ((plan.Version ?? resolution.Catalog.CurrentVersion(plan.Name)) is { } version)
            {
                versions[reference.ToString()] = version.ToString();
            }

            var qualified = reference.QualifiedView;
            if (!byView.TryGetValue(qualified, out var features))
            {
                features = [];
                byView[qualified] = features;
                // A stream view's features are aggregated from its logged events, wherever its source logs them.
                var source = plan.View.Stream is null ? plan.RequireSource() : StreamEventLog.Of(registry.Definitions, plan.View);
                // The engine names full feature columns after the view: a pinned version's carry its qualifier.
                var view = reference.Version is null ? plan.View : plan.View with { Name = qualified };
                views.Add(new PointInTimeView(view, source, plan.JoinKeys, features));
            }

            if (!features.Contains(reference.Feature))
            {
                features.Add(reference.Feature);
            }
        }

        return new ResolvedFeatures(references, views, versions);
    }
}

/// <summary>What a historical request resolved to: its references, the engine's views, and the version each feature was read at.</summary>
internal sealed record ResolvedFeatures(List<FeatureReference> References, List<PointInTimeView> Views, Dictionary<string, string> Versions);
