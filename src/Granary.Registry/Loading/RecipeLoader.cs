using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Validation;

namespace Granary.Registry.Loading;

/// <summary>
/// Finds and reads recipes: <c>recipes/&lt;name&gt;.yaml</c> in a repository, or any recipe file by path. A recipe's
/// name is its file's name without the extension.
/// </summary>
public static class RecipeLoader
{
    /// <summary>The folder of a repository that holds its recipes.</summary>
    public const string Folder = "recipes";

    /// <summary>
    /// The file <paramref name="nameOrPath"/> means: a name (<c>experiment</c>) is <c>recipes/experiment.yaml</c> in
    /// <paramref name="repositoryRoot"/>; anything with a slash or ending in <c>.yaml</c> or <c>.yml</c> is a path,
    /// relative to the current folder.
    /// </summary>
    public static string PathOf(string repositoryRoot, string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (IsPath(nameOrPath))
        {
            return Path.GetFullPath(nameOrPath);
        }

        var yaml = Path.Combine(repositoryRoot, Folder, nameOrPath + ".yaml");
        var yml = Path.Combine(repositoryRoot, Folder, nameOrPath + ".yml");
        return !File.Exists(yaml) && File.Exists(yml) ? yml : yaml;
    }

    /// <summary>Reads the recipe <paramref name="nameOrPath"/> names (see <see cref="PathOf"/>).</summary>
    /// <exception cref="GranaryException">There is no such file (<see cref="ErrorCodes.NotFound"/>, naming the recipes there are).</exception>
    /// <exception cref="DefinitionException">The file has mistakes; each is listed with its line.</exception>
    public static Recipe Load(string repositoryRoot, string nameOrPath)
    {
        var path = PathOf(repositoryRoot, nameOrPath);
        if (!File.Exists(path))
        {
            if (IsPath(nameOrPath))
            {
                throw new GranaryException(ErrorCodes.NotFound, $"Recipe file '{path}' does not exist.");
            }

            var names = NamesIn(repositoryRoot);
            var hint = Suggestions.Closest(nameOrPath, names) is { } close ? $" Did you mean '{close}'?" : names.Count > 0 ? $" The repository has {string.Join(", ", names)}." : "";
            throw new GranaryException(ErrorCodes.NotFound, $"No recipe '{nameOrPath}': {Path.Combine(repositoryRoot, Folder, nameOrPath + ".yaml")} does not exist.{hint}");
        }

        var label = IsPath(nameOrPath) ? nameOrPath : Path.GetRelativePath(repositoryRoot, path).Replace('\\', '/');
        var diagnostics = new DiagnosticBag();
        var loaded = Parse(label, path, File.ReadAllText(path), diagnostics);
        diagnostics.ThrowIfAny();
        return loaded!.Recipe;
    }

    /// <summary>The names of the recipes in <paramref name="repositoryRoot"/>'s <c>recipes/</c>, sorted.</summary>
    public static IReadOnlyList<string> NamesIn(string repositoryRoot)
    {
        var names = new List<string>();
        var folder = Path.Combine(repositoryRoot, Folder);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (IsRecipeFile(file))
                {
                    names.Add(Path.GetFileNameWithoutExtension(file));
                }
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Whether <paramref name="file"/> is read as a recipe when it lies directly in <c>recipes/</c>.</summary>
    internal static bool IsRecipeFile(string file) =>
        file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses one recipe file, reporting its mistakes under <paramref name="label"/> (the path users see).</summary>
    internal static LoadedRecipe? Parse(string label, string path, string text, DiagnosticBag diagnostics) =>
        new RecipeParser(new YamlReader(label, diagnostics)).Parse(Path.GetFileNameWithoutExtension(path), text);

    private static bool IsPath(string nameOrPath) =>
        nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.Contains('\\', StringComparison.Ordinal) || IsRecipeFile(nameOrPath);
}
