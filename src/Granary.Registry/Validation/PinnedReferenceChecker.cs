using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Loading;
using Granary.Registry.Serialization;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks the version-pinned references of feature services (<c>view@v1:feature</c>, <c>view@1.0.0:feature</c>)
/// against the view's versions as the apply leaves them (those recorded and those it adds): the version the selector
/// picks exists (the newest with its major, staged or promoted, as serving picks it) and its recorded definition has
/// the feature. Each mistake names the service's file and line, as <see cref="DefinitionValidator"/> reports the others;
/// without this a service would apply and fail only when served.
/// </summary>
internal sealed class PinnedReferenceChecker(DefinitionSet definitions, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    /// <param name="catalog">The catalog's versions as the apply leaves them: those recorded and those the plan writes.</param>
    public void Check(RegistryCatalog catalog)
    {
        foreach (var service in definitions.FeatureServices)
        {
            for (var i = 0; i < service.Features.Count; i++)
            {
                var reference = service.Features[i];
                if (reference.Version is not { } selector || definitions.FindFeatureView(reference.View) is null)
                {
                    // Unpinned references, and those to views that do not exist, are DefinitionValidator's; so is a
                    // feature the view no longer defines, which the apply archives (an archived feature is not served).
                    continue;
                }

                var path = $"features[{i}]";
                var picked = selector.IsExact
                    ? catalog.FindVersion(reference.View, new SemanticVersion(selector.Major, selector.Minor, selector.Patch))
                    : catalog.NewestWithMajor(reference.View, selector.Major);
                if (picked is null)
                {
                    var versions = catalog.VersionsOf(reference.View);
                    var wanted = selector.IsExact ? selector.ToString() : $"with major {selector.Major}";
                    var have = versions.Count == 0 ? "it has no recorded versions" : $"it has {string.Join(", ", versions.Select(v => v.Version.ToString()))}";
                    Report($"Feature service '{service.Name}' names '{reference}', but feature view '{reference.View}' has no version {wanted}; {have}.", service, path);
                }
                else if (FeaturesOf(picked) is not { } names)
                {
                    Report($"Feature service '{service.Name}' names '{reference}', but version {picked.Version} of feature view '{reference.View}' has no recorded definition to serve.", service, path);
                }
                else if (!names.Contains(reference.Feature))
                {
                    Report($"Feature service '{service.Name}' names '{reference}', but version {picked.Version} of feature view '{reference.View}' has no feature '{reference.Feature}'; it has {string.Join(", ", names)}.", service, path);
                }
            }
        }
    }

    /// <summary>The features (not join keys) of the version's recorded definition; null when it has none that reads.</summary>
    private List<string>? FeaturesOf(CatalogVersion version)
    {
        if (version.DefinitionSnapshot is not { } json)
        {
            return null;
        }

        FeatureView view;
        try
        {
            if (CanonicalJsonReader.Read(ObjectKind.FeatureView, json) is not FeatureView read)
            {
                return null;
            }

            view = read;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }

        var joinKeys = new HashSet<string>(definitions.JoinKeysOf(view), StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var field in view.FeaturesExcluding(joinKeys))
        {
            names.Add(field.Name);
        }

        return names;
    }

    private void Report(string message, Definition definition, string path) =>
        diagnostics.Add(ErrorCodes.UnknownReference, message, locations.Of(definition, path));
}
