using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Loading;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks that each experiment variant's version selector picks a version of the view as the apply leaves the catalog
/// (the newest with its major for <c>v2</c>, as serving picks it), reporting the variant's file and line; without this
/// an experiment would apply and fail only when a unit is assigned the missing variant.
/// </summary>
internal sealed class ExperimentVersionChecker(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    public void Check(RegistryCatalog catalog)
    {
        foreach (var experiment in definitions.Experiments)
        {
            if (definitions.FindFeatureView(experiment.FeatureView) is null)
            {
                continue; // DefinitionValidator's
            }

            for (var i = 0; i < experiment.Variants.Count; i++)
            {
                var variant = experiment.Variants[i];
                var selector = variant.Version;
                var picked = selector.IsExact
                    ? catalog.FindVersion(experiment.FeatureView, new SemanticVersion(selector.Major, selector.Minor, selector.Patch))
                    : catalog.NewestWithMajor(experiment.FeatureView, selector.Major);
                if (picked is null)
                {
                    var versions = catalog.VersionsOf(experiment.FeatureView);
                    var wanted = selector.IsExact ? selector.ToString() : $"with major {selector.Major}";
                    var have = versions.Count == 0 ? "it has no recorded versions" : $"it has {string.Join(", ", versions.Select(v => v.Version.ToString()))}";
                    diagnostics.Add(
                        ErrorCodes.UnknownReference,
                        $"Variant '{variant.Name}' of experiment '{experiment.Name}' serves version {selector} of feature view '{experiment.FeatureView}', which has no version {wanted}; {have}.",
                        locations.Of(experiment, $"variants[{i}].version"));
                }
            }
        }
    }
}
