using Granary.Core.Errors;
using Granary.Core.Providers;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Configuration;

/// <summary>
/// What <c>granary config show</c> prints: every value of the merged configuration with the file and line it came
/// from, and for each store section where it was set, or which file it is inherited from. Secrets are masked here,
/// so nothing that prints a report can print one.
/// </summary>
internal sealed class ConfigurationReport
{
    private static readonly string[] Sections = ["registry", "online_store", "offline_store"];

    private ConfigurationReport(string? environment, IReadOnlyList<string> files, List<Entry> values, List<Store> stores)
    {
        Environment = environment;
        Files = files;
        Values = values;
        Stores = stores;
    }

    /// <summary>The environment whose overlay was merged; null for none.</summary>
    public string? Environment { get; }

    /// <summary>The files merged, in the order they apply.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every value, by its dotted path, in file order, secrets masked.</summary>
    public IReadOnlyList<Entry> Values { get; }

    /// <summary>The three store sections as the stores will be built, with where each came from.</summary>
    public IReadOnlyList<Store> Stores { get; }

    /// <summary>Builds the report of a configuration read from files.</summary>
    /// <param name="config">A configuration from <see cref="ConfigParser.Load"/>.</param>
    /// <param name="variables">Where <c>${VAR}</c> is looked up, as when the configuration was read.</param>
    public static ConfigurationReport Of(RepositoryConfig config, Func<string, string?> variables)
    {
        var values = new List<Entry>();
        if (config.Layers is { Root: { } root } layers)
        {
            Walk(root, "", layers, variables, values);
        }

        var overlay = config.Environment is { } name ? ConfigurationLayers.OverlayPath(name) : null;
        var stores = new List<Store>(Sections.Length);
        foreach (var section in Sections)
        {
            var store = section switch
            {
                "registry" => config.Registry,
                "online_store" => config.OnlineStore,
                _ => config.OfflineStore,
            };
            var settings = new List<KeyValuePair<string, string>>(store.Settings.Count);
            foreach (var (key, setting) in store.Settings)
            {
                // The text as written decides too: a value from a secret variable is masked whole.
                var raw = config.Layers?.Root is { } tree && WrittenScalar(tree, section, key) is { } written ? written : setting.Value;
                settings.Add(new(key, SecretMasking.Show(key, raw, setting.Value)));
            }

            var from = store.Location;
            stores.Add(new Store(section, store.Type, from, overlay is not null && from is { } at && at.File != overlay, settings));
        }

        return new ConfigurationReport(config.Environment, config.ConfigurationFiles, values, stores);
    }

    private static void Walk(YamlNode node, string path, ConfigurationLayers layers, Func<string, string?> variables, List<Entry> values)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    Walk(value, path.Length == 0 ? name : $"{path}.{name}", layers, variables, values);
                }

                break;
            case YamlSequenceNode list:
                var items = new List<string>(list.Children.Count);
                foreach (var item in list.Children)
                {
                    items.Add(item is YamlScalarNode scalar ? Shown(path, scalar.Value ?? "", variables) : "...");
                }

                values.Add(new Entry(path, null, items, layers.Locate(list)));
                break;
            case YamlScalarNode scalar:
                values.Add(new Entry(path, Shown(path, scalar.Value ?? "", variables), null, layers.Locate(scalar)));
                break;
        }
    }

    private static string Shown(string path, string raw, Func<string, string?> variables)
    {
        if (path is "monitoring.default_webhook" or "feature_store.monitoring_endpoint")
        {
            // A webhook URL carries its secret in the path or query: shown as alert webhooks are, scheme and host only.
            return raw is "null" or "~" or "" ? raw : Alerts.WebhookUrl.Redact(raw);
        }

        var key = path[(path.LastIndexOf('.') + 1)..];
        // The configuration has loaded, so every variable has a value or a default; text that is not one stays as written.
        var value = EnvironmentVariables.TryExpand(raw, variables, out var expanded, out _) ? expanded : raw;
        return SecretMasking.Show(key, raw, value);
    }

    /// <summary>The text of <c>section.key</c> as written, before expansion; null when the tree has no such scalar.</summary>
    private static string? WrittenScalar(YamlMappingNode root, string section, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlMappingNode map
        && map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            ? scalar.Value
            : null;

    /// <summary>One value: a single one in <see cref="Value"/>, or a list in <see cref="Items"/>.</summary>
    public sealed record Entry(string Key, string? Value, IReadOnlyList<string>? Items, SourceLocation Location);

    /// <summary>
    /// A store section: its type, where it was set (null when no file sets it and the default stands), whether that is
    /// a file before the environment's own overlay, and its settings, secrets masked.
    /// </summary>
    public sealed record Store(string Section, string Type, SourceLocation? Location, bool Inherited, IReadOnlyList<KeyValuePair<string, string>> Settings);
}
