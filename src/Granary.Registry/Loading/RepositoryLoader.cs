using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Configuration;
using Granary.Registry.Validation;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads a feature repository: <c>granary.yaml</c> at the root, recipes from <c>recipes/*.yaml</c>, and definitions
/// from every other <c>*.yaml</c> or <c>*.yml</c> file below it. Hidden folders are skipped, and so is <c>config/</c>,
/// which holds the environments' configuration overlays (definitions are the same for every environment), and so are
/// YAML files that use none of the definition lists (a CI or compose file kept in the same repository).
/// </summary>
internal static class RepositoryLoader
{
    public static LoadedRepository Load(string repositoryRoot, Func<string, string?>? environment = null) =>
        Load(ConfigParser.Load(repositoryRoot, environment));

    /// <summary>Reads the definitions of a repository whose configuration is already loaded.</summary>
    public static LoadedRepository Load(RepositoryConfig config)
    {
        var diagnostics = new DiagnosticBag();
        var locations = new DefinitionLocations();
        var entities = new List<Entity>();
        var sources = new List<DataSource>();
        var views = new List<FeatureView>();
        var services = new List<FeatureService>();
        var onDemandViews = new List<OnDemandFeatureView>();
        var files = new List<string>();
        var alerts = new List<Alert>();
        var experiments = new List<Experiment>();
        var recipes = LoadRecipes(config.RepositoryRoot, diagnostics);

        foreach (var path in FindDefinitionFiles(config.RepositoryRoot))
        {
            var relative = Path.GetRelativePath(config.RepositoryRoot, path).Replace('\\', '/');
            var yaml = new YamlReader(relative, diagnostics);
            var used = false;
            var text = File.ReadAllText(path);
            var mistakes = diagnostics.Items.Count;
            var documents = yaml.ParseDocuments(text);
            if (diagnostics.Items.Count > mistakes)
            {
                // A syntax error: the file yields nothing, but what it meant to define must not be reported as missing.
                locations.Unloaded.AddNamesMentionedIn(text);
            }

            foreach (var root in documents)
            {
                if (!DefinitionFileParser.IsDefinitionDocument(root))
                {
                    // Not ours, unless it looks like definitions with a typo: then say so rather than skip it, or
                    // an apply would remove everything the file meant to define.
                    DefinitionFileParser.ReportNearMisses(root, yaml);
                    continue;
                }

                used = true;
                var parser = new DefinitionFileParser(yaml, locations, recipes, config.Monitoring.DefaultWebhook is not null);
                parser.Parse((YamlDotNet.RepresentationModel.YamlMappingNode)root);
                entities.AddRange(parser.Entities);
                sources.AddRange(parser.Sources);
                views.AddRange(parser.FeatureViews);
                services.AddRange(parser.FeatureServices);
                onDemandViews.AddRange(parser.OnDemandFeatureViews);
                alerts.AddRange(parser.Alerts);
                experiments.AddRange(parser.Experiments);
            }

            if (used)
            {
                files.Add(relative);
            }
        }

        var definitions = new DefinitionSet { Entities = entities, Sources = sources, FeatureViews = views, FeatureServices = services, Alerts = alerts, OnDemandFeatureViews = onDemandViews, Experiments = experiments };
        return new LoadedRepository(config, definitions, locations, files, diagnostics.Items) { Recipes = LoadedOnly(recipes) };
    }

    // Recipes first: feature services may be declared from them, in any file. A recipe that failed to load is kept
    // as null, so a service naming it is not reported as naming an unknown recipe too.
    private static Dictionary<string, LoadedRecipe?> LoadRecipes(string root, DiagnosticBag diagnostics)
    {
        var recipes = new Dictionary<string, LoadedRecipe?>(StringComparer.Ordinal);
        var folder = Path.Combine(root, RecipeLoader.Folder);
        if (!Directory.Exists(folder))
        {
            return recipes;
        }

        var files = new List<string>(Directory.EnumerateFiles(folder));
        files.Sort(StringComparer.Ordinal);
        foreach (var path in files)
        {
            if (!RecipeLoader.IsRecipeFile(path))
            {
                continue;
            }

            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var name = Path.GetFileNameWithoutExtension(path);
            if (recipes.ContainsKey(name))
            {
                diagnostics.Add(ErrorCodes.DuplicateName, $"Recipe '{name}' is defined twice ({RecipeLoader.Folder}/{name}.yaml and .yml); keep one.", new Core.Errors.SourceLocation(relative, 1, 1));
                continue;
            }

            recipes[name] = RecipeLoader.Parse(relative, path, File.ReadAllText(path), diagnostics);
        }

        return recipes;
    }

    private static List<LoadedRecipe> LoadedOnly(Dictionary<string, LoadedRecipe?> recipes)
    {
        var loaded = new List<LoadedRecipe>(recipes.Count);
        foreach (var recipe in recipes.Values)
        {
            if (recipe is not null)
            {
                loaded.Add(recipe);
            }
        }

        return loaded;
    }

    private static List<string> FindDefinitionFiles(string root)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        var recipes = Path.Combine(root, RecipeLoader.Folder);
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(file);
                var isYaml = name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
                // Recipes are read on their own (LoadRecipes), not as definitions.
                if (isYaml && !(directory == root && name == RepositoryConfig.FileName) && directory != recipes)
                {
                    files.Add(file);
                }
            }

            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!Path.GetFileName(sub).StartsWith('.') && !(directory == root && Path.GetFileName(sub) == ConfigurationLayers.FolderName))
                {
                    pending.Push(sub);
                }
            }
        }

        // Sorted so diagnostics and duplicate reports come out the same on every machine.
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
