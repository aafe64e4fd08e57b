using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Alerts;
using Granary.Registry.Configuration;
using Granary.Registry.Validation;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads a feature repository: <c>granary.yaml</c> at the root, and definitions from every other <c>*.yaml</c> or
/// <c>*.yml</c> file below it. Hidden folders are skipped, and so are YAML files that use none of the definition lists
/// (a CI or compose file kept in the same repository).
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
        var alerts = new List<AlertDefinition>();
        var alertViews = new List<(YamlReader Yaml, string Alert, string View, YamlNode Node)>();

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
                var parser = new DefinitionFileParser(yaml, locations);
                parser.Parse((YamlDotNet.RepresentationModel.YamlMappingNode)root);
                entities.AddRange(parser.Entities);
                sources.AddRange(parser.Sources);
                views.AddRange(parser.FeatureViews);
                services.AddRange(parser.FeatureServices);
                onDemandViews.AddRange(parser.OnDemandFeatureViews);
                alerts.AddRange(parser.Alerts);
                foreach (var (alert, view, node) in parser.AlertViewReferences)
                {
                    alertViews.Add((yaml, alert, view, node));
                }
            }

            if (used)
            {
                files.Add(relative);
            }
        }

        var definitions = new DefinitionSet { Entities = entities, Sources = sources, FeatureViews = views, FeatureServices = services, OnDemandFeatureViews = onDemandViews };
        CheckAlerts(alerts, alertViews, views, locations, diagnostics);
        return new LoadedRepository(config, definitions, locations, files, diagnostics.Items, alerts);
    }

    // Alerts name views that any file may define, so they are checked once everything is read.
    private static void CheckAlerts(
        List<AlertDefinition> alerts,
        List<(YamlReader Yaml, string Alert, string View, YamlNode Node)> alertViews,
        List<FeatureView> views,
        DefinitionLocations locations,
        DiagnosticBag diagnostics)
    {
        var viewNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            viewNames.Add(view.Name);
        }

        foreach (var (yaml, alert, view, node) in alertViews)
        {
            if (!viewNames.Contains(view) && !locations.Unloaded.Contains(ObjectKind.FeatureView, view))
            {
                var suggestion = Suggestions.Closest(view, [.. viewNames]);
                var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
                yaml.Error(node, $"Alert '{alert}' watches unknown feature view '{view}'{hint}");
            }
        }

        var seen = new Dictionary<string, AlertDefinition>(StringComparer.Ordinal);
        foreach (var alert in alerts)
        {
            if (seen.TryGetValue(alert.Name, out var first))
            {
                diagnostics.Add(ErrorCodes.InvalidDefinition, $"Alert '{alert.Name}' is defined twice; the first is at {first.Location}.", alert.Location);
            }
            else
            {
                seen.Add(alert.Name, alert);
            }
        }
    }

    private static List<string> FindDefinitionFiles(string root)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(file);
                var isYaml = name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
                if (isYaml && !(directory == root && name == RepositoryConfig.FileName))
                {
                    files.Add(file);
                }
            }

            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!Path.GetFileName(sub).StartsWith('.'))
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
