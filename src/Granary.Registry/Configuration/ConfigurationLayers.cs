using System.Text.RegularExpressions;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Loading;
using Granary.Registry.Validation;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Configuration;

/// <summary>
/// The configuration files of one environment, <c>granary.yaml</c>, then <c>config/base.yaml</c>, then
/// <c>config/ENV.yaml</c>, merged into one YAML tree: maps merge key by key, lists and single values replace, later
/// files win. The merge keeps the files' own nodes, and remembers which file each came from, so a mistake found in
/// the merged tree still names the file and line of the value that is wrong.
/// </summary>
/// <remarks>
/// A store section (<c>registry</c>, <c>offline_store</c>, <c>online_store</c>) whose later <c>type</c> differs from
/// the earlier one replaces it whole: the earlier store's keys mean nothing to another type of store.
/// </remarks>
internal sealed partial class ConfigurationLayers
{
    /// <summary>The folder of the overlays, at the repository root.</summary>
    public const string FolderName = "config";

    /// <summary>The overlay every environment reads, before its own.</summary>
    public const string BaseFileName = "base.yaml";

    /// <summary>The process environment variable that names the environment when no <c>--env</c> is given.</summary>
    public const string EnvironmentVariable = "GRANARY_ENV";

    private static readonly (string Key, string DefaultType)[] StoreSections =
    [
        ("registry", RepositoryConfig.DefaultRegistryType),
        ("offline_store", RepositoryConfig.DefaultOfflineType),
        ("online_store", RepositoryConfig.DefaultOnlineType),
    ];

    private readonly Dictionary<YamlNode, SourceLocation> _origins = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string File, YamlMappingNode Root)> _layers = [];

    private ConfigurationLayers(string? environment) => Environment = environment;

    /// <summary>The environment whose overlay was read; null for <c>granary.yaml</c> (and <c>config/base.yaml</c>) alone.</summary>
    public string? Environment { get; }

    /// <summary>The merged tree; null when <c>granary.yaml</c> has no mapping to start from (a mistake already reported).</summary>
    public YamlMappingNode? Root { get; private set; }

    /// <summary>The files read, relative to the repository root with forward slashes, in the order they apply.</summary>
    public IReadOnlyList<string> Files => _layers.ConvertAll(l => l.File);

    /// <summary>The path, relative to the repository, of an environment's overlay.</summary>
    public static string OverlayPath(string environment) => $"{FolderName}/{environment}.yaml";

    /// <summary>Where a node of the merged tree was written; a merged map is where its last file wrote it.</summary>
    public SourceLocation Locate(YamlNode node) =>
        _origins.TryGetValue(node, out var location) ? location : new SourceLocation(RepositoryConfig.FileName, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>The file, relative to the repository, that wrote a node of the merged tree.</summary>
    public string FileOf(YamlNode node) => Locate(node).File;

    /// <summary>Reads and merges the files; mistakes (syntax, a missing overlay, a file that is not a mapping) go to <paramref name="diagnostics"/>.</summary>
    /// <param name="root">The absolute repository root.</param>
    /// <param name="environment">The environment's name; null or empty for none.</param>
    /// <param name="diagnostics">Where mistakes are reported.</param>
    /// <param name="check">Checks each file's own top-level keys, so an unknown key is reported in the file that has it.</param>
    public static ConfigurationLayers Read(string root, string? environment, DiagnosticBag diagnostics, Action<YamlReader, YamlMappingNode>? check = null)
    {
        var layers = new ConfigurationLayers(string.IsNullOrEmpty(environment) ? null : environment);
        layers.ReadFile(root, RepositoryConfig.FileName, diagnostics, check, required: true);
        layers.ReadFile(root, $"{FolderName}/{BaseFileName}", diagnostics, check, required: false);
        if (layers.Environment is { } name)
        {
            if (!EnvironmentName().IsMatch(name) || name == Path.GetFileNameWithoutExtension(BaseFileName))
            {
                throw new GranaryException(
                    ErrorCodes.InvalidConfig,
                    $"Invalid environment name '{name}': use letters, digits, '-' and '_' (such as dev, staging or prod); 'base' is the overlay every environment shares.");
            }

            var overlay = OverlayPath(name);
            if (!File.Exists(Path.Combine(root, overlay)))
            {
                throw new GranaryException(
                    ErrorCodes.InvalidConfig,
                    $"Environment '{name}' has no configuration file: {Path.Combine(root, FolderName, name + ".yaml")} does not exist. Create it, or choose another environment with --env or {EnvironmentVariable}.");
            }

            layers.ReadFile(root, overlay, diagnostics, check, required: true);
        }

        foreach (var (_, map) in layers._layers)
        {
            layers.Root = layers.Root is null ? map : (YamlMappingNode)layers.Merge(layers.Root, map, topLevel: true);
        }

        if (layers.Root is not null && layers._layers.Count > 1)
        {
            // 'project' and a missing key belong to the repository's own file, whatever the overlays add.
            layers._origins[layers.Root] = layers.Locate(layers._layers[0].Root);
        }

        return layers;
    }

    private void ReadFile(string root, string relative, DiagnosticBag diagnostics, Action<YamlReader, YamlMappingNode>? check, bool required)
    {
        var path = Path.Combine(root, relative);
        if (!required && !File.Exists(path))
        {
            return;
        }

        var yaml = new YamlReader(relative, diagnostics, ErrorCodes.InvalidConfig);
        var documents = yaml.ParseDocuments(File.ReadAllText(path));
        if (documents.Count == 0)
        {
            if (!diagnostics.HasErrors && relative == RepositoryConfig.FileName)
            {
                diagnostics.Add(ErrorCodes.InvalidConfig, $"{RepositoryConfig.FileName} is empty; it needs at least 'project: NAME'.", new SourceLocation(relative, 1));
            }

            return;
        }

        // An overlay with nothing in it yet (only comments, or '~') changes nothing.
        if (relative != RepositoryConfig.FileName && documents[0] is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (yaml.Mapping(documents[0], relative) is not { } map)
        {
            return;
        }

        Remember(map, relative);
        check?.Invoke(yaml, map);
        _layers.Add((relative, map));
    }

    private void Remember(YamlNode node, string file)
    {
        _origins[node] = new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    Remember(key, file);
                    Remember(value, file);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    Remember(item, file);
                }

                break;
        }
    }

    private YamlNode Merge(YamlNode lower, YamlNode upper, bool topLevel)
    {
        if (lower is not YamlMappingNode below || upper is not YamlMappingNode above)
        {
            return upper;
        }

        var entries = new List<KeyValuePair<YamlNode, YamlNode>>(below.Children);
        foreach (var (key, value) in above.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            var index = entries.FindIndex(e => (e.Key as YamlScalarNode)?.Value == name);
            if (index < 0)
            {
                entries.Add(new(key, value));
                continue;
            }

            var replaces = topLevel && name is not null && ChangesStoreType(name, entries[index].Value, value);
            // The later key node, so the key's location is the file that last set it.
            entries[index] = new(key, replaces ? value : Merge(entries[index].Value, value, topLevel: false));
        }

        var merged = new YamlMappingNode(entries);
        _origins[merged] = Locate(above);
        return merged;
    }

    private static bool ChangesStoreType(string key, YamlNode lower, YamlNode upper)
    {
        foreach (var (section, defaultType) in StoreSections)
        {
            // A later section without a type keeps the earlier one's; only a type of its own can change it.
            if (section == key && TypeOf(upper) is { } upperType)
            {
                return upperType != (TypeOf(lower) ?? defaultType);
            }
        }

        return false;
    }

    private static string? TypeOf(YamlNode node) =>
        node is YamlMappingNode map && YamlReader.Get(map, "type") is YamlScalarNode { Value: { Length: > 0 } type } ? type : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex EnvironmentName();
}
