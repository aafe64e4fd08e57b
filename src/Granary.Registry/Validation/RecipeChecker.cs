using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks that every feature a recipe names is a feature of a defined view, at the recipe's own line: a recipe is
/// not applied, so plan is where a misspelt namespace or feature is found, not the first training run.
/// </summary>
internal sealed class RecipeChecker(DefinitionSet completed, DefinitionLocations locations, DiagnosticBag diagnostics)
{
    /// <summary>Reports what is wrong; returns where, so a feature service declared from the recipe does not repeat it.</summary>
    public HashSet<SourceLocation> Check(IReadOnlyList<LoadedRecipe> recipes)
    {
        var reported = new HashSet<SourceLocation>();
        foreach (var loaded in recipes)
        {
            var name = loaded.Recipe.Name;
            foreach (var site in loaded.Sites)
            {
                var (view, feature) = (site.Reference.View, site.Reference.Feature);
                if (completed.FindFeatureView(view) is not { } definition)
                {
                    if (!locations.Unloaded.Contains(ObjectKind.FeatureView, view))
                    {
                        var hint = Closest(view, ViewNames()) is { } close ? $"; did you mean '{close}'?" : ".";
                        diagnostics.Add(ErrorCodes.UnknownReference, $"Recipe '{name}' names feature namespace '{view}', which is not a feature view{hint}", site.NamespaceAt);
                        reported.Add(site.FeatureAt);
                    }

                    continue;
                }

                // A stream view that could not be completed has its mistake reported; its features are unknown.
                if ((definition.Stream is not null && definition.Schema.Count == 0) || locations.Unloaded.ContainsField(view, feature))
                {
                    continue;
                }

                var joinKeys = new HashSet<string>(completed.JoinKeysOf(definition), StringComparer.Ordinal);
                var features = new List<string>();
                foreach (var field in definition.FeaturesExcluding(joinKeys))
                {
                    features.Add(field.Name);
                }

                if (!features.Contains(feature))
                {
                    var hint = Closest(feature, features) is { } close ? $"did you mean '{close}'?" : $"it has {string.Join(", ", features)}.";
                    diagnostics.Add(ErrorCodes.UnknownReference, $"Recipe '{name}' names feature '{feature}', which feature view '{view}' does not have; {hint}", site.FeatureAt);
                    reported.Add(site.FeatureAt);
                }
            }
        }

        return reported;
    }

    private List<string> ViewNames()
    {
        var names = new List<string>(completed.FeatureViews.Count);
        foreach (var view in completed.FeatureViews)
        {
            names.Add(view.Name);
        }

        return names;
    }

    private static string? Closest(string name, List<string> candidates) => Suggestions.Closest(name, candidates);
}
