using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnDemand;
using Granary.Offline.Retrieval;
using Granary.Registry;
using Granary.Resolution;

namespace Granary.Historical;

/// <summary>
/// Turns a request's feature references or feature service into engine views, through the registry's one resolution
/// (<see cref="RegistryResolution"/>): the same views, features and batch sources online reads and materialization see.
/// A stream view reads the events its source logged (<see cref="StreamEventLog"/>). A version-qualified reference
/// (<c>view@v2:feature</c>) reads with that version's definition, its columns named as Feast names them
/// (<c>view@v2__feature</c> with full feature names). An on-demand feature joins its sources' features it reads and is
/// computed from the joined rows (<see cref="HistoricalOnDemandLayout"/>).
/// </summary>
internal static class FeatureResolver
{
    public static ResolvedFeatures Resolve(HistoricalFeaturesRequest request, RegistryContents registry, OnDemandFunctions? functions = null)
    {
        var resolution = RegistryResolution.Of(registry);
        var references = resolution.References(request.Features, request.FeatureService, serviceOverridesFeatures: false);
        var views = new List<PointInTimeView>();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var byView = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        OnDemandPlans? onDemand = null;
        var computed = new List<(FeatureReference Reference, OnDemandViewPlan Plan, int Feature)>();

        void Join(FeatureReference reference, bool requested)
        {
            var plan = resolution.View(reference);
            RegistryResolution.FeatureIndex(plan, reference.Feature);
            resolution.CheckLifecycle(reference);
            if (requested && (plan.Version ?? resolution.Catalog.CurrentVersion(plan.Name)) is { } version)
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

        foreach (var reference in references)
        {
            if (registry.Definitions.FindOnDemandFeatureView(reference.View) is not null && registry.Definitions.FindFeatureView(reference.View) is null)
            {
                onDemand ??= new OnDemandPlans(registry, functions ?? OnDemandFunctions.None);
                var (plan, feature) = OnDemandFeature(reference, onDemand, resolution);
                computed.Add((reference, plan, feature));
                // The sources' features it reads join as any feature does; the output drops those not asked for.
                foreach (var input in plan.Features[feature].Inputs)
                {
                    if (plan.Inputs[input].Source is { } source)
                    {
                        Join(source, requested: false);
                    }
                }
            }
            else
            {
                Join(reference, requested: true);
            }
        }

        var layout = computed.Count == 0 ? null : HistoricalOnDemandLayout.Of(references, computed, request.FullFeatureNames);
        return new ResolvedFeatures(references, views, versions, layout);
    }

    private static (OnDemandViewPlan Plan, int Feature) OnDemandFeature(FeatureReference reference, OnDemandPlans plans, RegistryResolution resolution)
    {
        if (reference.Version is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"'{reference}': on-demand feature view '{reference.View}' has no versions; name it without '@'.");
        }

        var plan = plans.View(reference.View);
        var feature = plan.FeatureIndex(reference.Feature);
        if (feature < 0)
        {
            throw resolution.NotFound($"feature of on-demand feature view '{plan.Name}'", reference.Feature, plan.Features.Select(f => f.Name).ToList());
        }

        if (plan.Errors[feature] is { } error)
        {
            throw new GranaryException(ErrorCodes.Unprocessable, error);
        }

        return (plan, feature);
    }
}

/// <summary>What a historical request resolved to: its references, the engine's views, and the version each feature was read at.</summary>
/// <remarks>
/// <see cref="OnDemand"/> is set when on-demand features were asked for: the engine then joins with full feature
/// names and the output is computed from its rows.
/// </remarks>
internal sealed record ResolvedFeatures(List<FeatureReference> References, List<PointInTimeView> Views, Dictionary<string, string> Versions, HistoricalOnDemandLayout? OnDemand);
