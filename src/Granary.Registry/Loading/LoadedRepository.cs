using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Configuration;

namespace Granary.Registry.Loading;

/// <summary>A repository as read from disk: its configuration, its definitions and where each was written.</summary>
/// <param name="Config">The parsed <c>granary.yaml</c>.</param>
/// <param name="Definitions">Every object defined in the repository's YAML files.</param>
/// <param name="Locations">File and line of each object and field.</param>
/// <param name="DefinitionFiles">Files that contributed definitions, relative to the root.</param>
/// <param name="Diagnostics">Mistakes found while parsing; validation adds its own.</param>
internal sealed record LoadedRepository(
    RepositoryConfig Config,
    DefinitionSet Definitions,
    DefinitionLocations Locations,
    IReadOnlyList<string> DefinitionFiles,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The recipes of <c>recipes/</c> that loaded, each checked against the views by plan.</summary>
    public IReadOnlyList<LoadedRecipe> Recipes { get; init; } = [];
}
