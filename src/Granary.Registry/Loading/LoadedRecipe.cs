using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Registry.Loading;

/// <summary>A recipe as read from its file, with the line of each namespace and feature it names, for the checks against the views.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Location">Where the recipe starts.</param>
/// <param name="Sites">Each feature of <see cref="Recipe.References"/>, in the same order, with where its namespace and its name were written.</param>
internal sealed record LoadedRecipe(Recipe Recipe, SourceLocation Location, IReadOnlyList<RecipeSite> Sites);

/// <summary>One feature a recipe names, and where.</summary>
internal readonly record struct RecipeSite(FeatureReference Reference, SourceLocation NamespaceAt, SourceLocation FeatureAt);
