using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Registry;
using Granary.Resolution;

namespace Granary.Historical;

/// <summary>
/// Turns a request's feature references or feature service into engine views, through the registry's one resolution
/// (<see cref="RegistryResolution"/>): the same views, features and batch sources online reads and materialization see.
/// A stream view reads the events its source logged (<see cref="StreamEventLog"/>).
/// </summary>
internal static class FeatureResolver
{
    public static (List<FeatureReference> References, List<PointInTimeView> Views) Resolve(HistoricalFeaturesRequest request, RegistryContents registry)
    {
        var resolution = RegistryResolution.Of(registry);
        var references = resolution.References(request.Features, request.FeatureService, serviceOverridesFeatures: false);
        var views = new List<PointInTimeView>();
        var byView = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var plan = resolution.View(reference.View);
            RegistryResolution.FeatureIndex(plan, reference.Feature);
            if (!byView.TryGetValue(plan.Name, out var features))
            {
                features = [];
                byView[plan.Name] = features;
                // A stream view's features are aggregated from its logged events, wherever its source logs them.
                var source = plan.View.Stream is null ? plan.RequireSource() : StreamEventLog.Of(registry.Definitions, plan.View);
                views.Add(new PointInTimeView(plan.View, source, plan.JoinKeys, features));
            }

            if (!features.Contains(reference.Feature))
            {
                features.Add(reference.Feature);
            }
        }

        return (references, views);
    }
}
