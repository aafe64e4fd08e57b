using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Registry;

namespace Granary.Historical;

/// <summary>Turns a request's feature references or feature service into resolved views against the applied registry.</summary>
internal static class FeatureResolver
{
    public static (List<FeatureReference> References, List<PointInTimeView> Views) Resolve(HistoricalFeaturesRequest request, RegistryContents registry)
    {
        var definitions = registry.Definitions;
        var hasFeatures = request.Features.Count > 0;
        if (hasFeatures == request.FeatureService is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "Name either features (view:feature, ...) or a feature service, not both and not neither.");
        }

        var references = new List<FeatureReference>();
        if (request.FeatureService is { } serviceName)
        {
            var service = definitions.FindFeatureService(serviceName) ?? throw NotFound("feature service", serviceName, definitions.FeatureServices, registry);
            references.AddRange(service.Features);
        }
        else
        {
            foreach (var text in request.Features)
            {
                references.Add(FeatureReference.TryParse(text, out var r)
                    ? r
                    : throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature reference '{text}' is not of the form view:feature."));
            }
        }

        var views = new List<PointInTimeView>();
        var byView = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var view = definitions.FindFeatureView(reference.View) ?? throw NotFound("feature view", reference.View, definitions.FeatureViews, registry);
            var joinKeys = definitions.JoinKeysOf(view);
            var keySet = new HashSet<string>(joinKeys, StringComparer.Ordinal);
            var names = view.FeaturesExcluding(keySet).Select(f => f.Name).ToList();
            if (!names.Contains(reference.Feature))
            {
                var hint = Suggestions.Closest(reference.Feature, names) is { } s ? $" Did you mean '{view.Name}:{s}'?" : $" It has: {string.Join(", ", names)}.";
                throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{view.Name}' has no feature '{reference.Feature}'.{hint}");
            }

            if (!byView.TryGetValue(view.Name, out var features))
            {
                features = [];
                byView[view.Name] = features;
                views.Add(new PointInTimeView(view, BatchSourceOf(view, definitions), joinKeys, features));
            }

            if (!features.Contains(reference.Feature))
            {
                features.Add(reference.Feature);
            }
        }

        return (references, views);
    }

    private static BatchSource BatchSourceOf(FeatureView view, DefinitionSet definitions) => definitions.FindSource(view.Source) switch
    {
        BatchSource batch => batch,
        PushSource push when definitions.FindSource(push.BatchSourceName) is BatchSource batch => batch,
        _ => throw new GranaryException(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' has no readable batch source '{view.Source}' in the registry."),
    };

    private static GranaryException NotFound<T>(string what, string name, IReadOnlyList<T> candidates, RegistryContents registry)
        where T : Definition
    {
        if (registry.Version == 0)
        {
            return new GranaryException(ErrorCodes.NotFound, $"The registry of project '{registry.Project}' is empty; run 'granary apply' first.");
        }

        var hint = Suggestions.Closest(name, candidates.Select(c => c.Name)) is { } s ? $" Did you mean '{s}'?" : "";
        return new GranaryException(ErrorCodes.NotFound, $"No {what} named '{name}' in project '{registry.Project}'.{hint}");
    }
}
