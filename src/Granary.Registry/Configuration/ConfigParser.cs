using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Providers;
using Granary.Core.Time;
using Granary.Registry.Loading;
using Granary.Registry.Validation;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Configuration;

/// <summary>
/// Reads <c>granary.yaml</c> with its environment's overlays (see <see cref="ConfigurationLayers"/>): project, registry,
/// offline_store, online_store, monitoring and the <c>feature_store</c> aliases, with <c>${VAR}</c> expansion. The store
/// sections are read as a type and its keys; which types exist and what their keys mean is the providers' business.
/// </summary>
internal static class ConfigParser
{
    /// <summary>Loads and validates the configuration of the repository at <paramref name="repositoryRoot"/>.</summary>
    /// <param name="repositoryRoot">The folder holding <c>granary.yaml</c>.</param>
    /// <param name="variables">Looks up <c>${VAR}</c> and <c>GRANARY_ENV</c>; the process environment by default.</param>
    /// <param name="validate">
    /// Checks the store sections once the file has parsed (the <c>FeatureStoreBuilder</c> asks each section's
    /// provider), adding its mistakes and warnings to the same bag, so one run reports every mistake of the file.
    /// </param>
    /// <param name="environment">
    /// The environment whose <c>config/ENV.yaml</c> overlays <c>granary.yaml</c> and <c>config/base.yaml</c>; when null
    /// or empty, the one <c>GRANARY_ENV</c> names, if any.
    /// </param>
    /// <exception cref="GranaryException">
    /// The file is missing, or the environment's overlay is, or its name is not one (<see cref="ErrorCodes.InvalidConfig"/>).
    /// </exception>
    /// <exception cref="DefinitionException">The files have mistakes; each names its file and line.</exception>
    public static RepositoryConfig Load(string repositoryRoot, Func<string, string?>? variables = null, Action<RepositoryConfig, DiagnosticBag>? validate = null, string? environment = null)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var path = Path.Combine(root, RepositoryConfig.FileName);
        if (!File.Exists(path))
        {
            throw new GranaryException(
                ErrorCodes.InvalidConfig,
                Directory.Exists(root)
                    ? $"{root} is not a Granary repository: it has no {RepositoryConfig.FileName}. Run 'granary init' to create one, or pass --repo."
                    : $"The repository folder {root} does not exist.");
        }

        variables ??= Environment.GetEnvironmentVariable;
        var diagnostics = new DiagnosticBag();
        var layers = ConfigurationLayers.Read(root, string.IsNullOrEmpty(environment) ? variables(ConfigurationLayers.EnvironmentVariable) : environment, diagnostics, CheckTopLevelKeys);
        var config = Parse(layers, root, diagnostics, variables);
        if (config is not null)
        {
            validate?.Invoke(config, diagnostics);
        }

        diagnostics.ThrowIfAny();
        return config! with { Warnings = diagnostics.Warnings };
    }

    /// <summary>The top-level keys, checked in each file so an unknown one is reported where it is written.</summary>
    private static void CheckTopLevelKeys(YamlReader yaml, YamlMappingNode map) =>
        yaml.CheckKeys(map, yaml.File, "project", "registry", "offline_store", "online_store", "monitoring", FeatureStoreAliases.SectionName);

    private static RepositoryConfig? Parse(ConfigurationLayers layers, string root, DiagnosticBag diagnostics, Func<string, string?> variables)
    {
        if (layers.Root is not { } map)
        {
            return null;
        }

        var yaml = new YamlReader(RepositoryConfig.FileName, diagnostics, ErrorCodes.InvalidConfig, layers.Locate);
        var reader = new ConfigValueReader(yaml, variables);
        var project = reader.Required(map, "project", RepositoryConfig.FileName);
        if (project is not null && !Identifier.IsValid(project))
        {
            yaml.Error(YamlReader.Get(map, "project")!, $"Invalid project name '{project}': use {Identifier.Rule}.", ErrorCodes.InvalidConfig);
        }

        var registry = ParseRegistry(map, yaml, reader);
        var offline = ParseStore(map, "offline_store", RepositoryConfig.DefaultOfflineType, yaml, reader);
        var online = ParseStore(map, "online_store", RepositoryConfig.DefaultOnlineType, yaml, reader);
        var monitoring = ParseMonitoring(map, yaml, reader);
        var aliases = FeatureStoreAliases.Read(map, yaml, layers, reader.Expand);
        return project is null
            ? null
            : aliases.ApplyTo(new RepositoryConfig
            {
                Project = project,
                RepositoryRoot = root,
                Registry = registry,
                OfflineStore = offline,
                OnlineStore = online,
                Monitoring = monitoring,
                Environment = layers.Environment,
                ConfigurationFiles = layers.Files,
                Layers = layers,
            });
    }

    private static StoreSection ParseRegistry(YamlMappingNode map, YamlReader yaml, ConfigValueReader reader)
    {
        // 'registry: PATH' is the short form of the default, file-based registry: {type: sqlite, path: PATH}.
        if (YamlReader.Get(map, "registry") is YamlScalarNode scalar)
        {
            var settings = new Dictionary<string, StoreSetting>(StringComparer.Ordinal);
            if (reader.Expand(scalar, "registry") is { Length: > 0 } path)
            {
                settings["path"] = new StoreSetting(path, yaml.At(scalar));
            }

            return new StoreSection(RepositoryConfig.DefaultRegistryType, settings, yaml.At(scalar));
        }

        return ParseStore(map, "registry", RepositoryConfig.DefaultRegistryType, yaml, reader);
    }

    /// <summary>
    /// Reads a store section as a type and its keys, without knowing any store: the provider registered for the
    /// type checks the keys (see <see cref="Load"/>'s <c>validate</c>). A bare value is the type (<c>online_store: redis</c>).
    /// </summary>
    private static StoreSection ParseStore(YamlMappingNode map, string key, string defaultType, YamlReader yaml, ConfigValueReader reader)
    {
        var node = YamlReader.Get(map, key);
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return new StoreSection(defaultType);
        }

        if (node is YamlScalarNode)
        {
            return new StoreSection(OrDefault(reader.Expand(node, key), defaultType), null, yaml.At(node));
        }

        var what = $"'{key}'";
        if (yaml.Mapping(node, what) is not { } store)
        {
            return new StoreSection(defaultType);
        }

        var type = OrDefault(reader.Optional(store, "type", what), defaultType);
        var settings = new Dictionary<string, StoreSetting>(StringComparer.Ordinal);
        foreach (var (k, v) in store.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            // A value whose variable is unset keeps its text: the unset variable is the mistake to report, not a missing key.
            if (name is not "type" && (reader.Expand(v, $"{key}.{name}") ?? (v as YamlScalarNode)?.Value) is { } value)
            {
                settings[name] = new StoreSetting(value, yaml.At(k));
            }
        }

        var typeNode = YamlReader.Get(store, "type");
        return new StoreSection(type, settings, yaml.At(node), typeNode is null ? null : yaml.At(typeNode));
    }

    /// <summary>Reads <c>monitoring: {serving_sample_rate, serving_log_retention, schedule, window, drift_baseline_window, default_webhook}</c>; absent keys keep their defaults.</summary>
    private static MonitoringSettings ParseMonitoring(YamlMappingNode map, YamlReader yaml, ConfigValueReader reader)
    {
        var node = YamlReader.Get(map, "monitoring");
        if (node is null || node is YamlScalarNode { Value: null or "" } || yaml.Mapping(node, "'monitoring'") is not { } section)
        {
            return MonitoringSettings.Default;
        }

        yaml.CheckKeys(section, "'monitoring'", "serving_sample_rate", "serving_log_retention", "schedule", "window", "drift_baseline_window", "default_webhook");
        var settings = MonitoringSettings.Default;
        if (YamlReader.Get(section, "serving_sample_rate") is { } rateNode && reader.Expand(rateNode, "monitoring.serving_sample_rate") is { } rateText)
        {
            if (double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1)
            {
                settings = settings with { ServingSampleRate = rate };
            }
            else
            {
                yaml.Error(rateNode, $"Invalid serving_sample_rate '{rateText}' in 'monitoring'; expected a fraction from 0 to 1, such as 0.01.", ErrorCodes.InvalidConfig);
            }
        }

        if (Duration(section, "serving_log_retention", yaml, reader) is { } retention)
        {
            settings = settings with { ServingLogRetention = retention };
        }

        if (Duration(section, "schedule", yaml, reader) is { } schedule)
        {
            settings = settings with { Schedule = schedule };
        }

        if (Duration(section, "window", yaml, reader) is { } window)
        {
            settings = settings with { Window = window };
        }

        if (Duration(section, "drift_baseline_window", yaml, reader) is { } baseline)
        {
            settings = settings with { DriftBaselineWindow = baseline };
        }

        if (YamlReader.Get(section, "default_webhook") is { } hookNode && DefaultWebhook(hookNode, "monitoring.default_webhook", yaml) is { } hook)
        {
            settings = settings with { DefaultWebhook = hook };
        }

        return settings;
    }

    /// <summary>A positive duration of the <c>monitoring</c> section, or null when absent or reported as invalid.</summary>
    private static TimeSpan? Duration(YamlMappingNode section, string key, YamlReader yaml, ConfigValueReader reader)
    {
        if (YamlReader.Get(section, key) is not { } node || reader.Expand(node, $"monitoring.{key}") is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        yaml.Error(node, $"Invalid {key} '{text}' in 'monitoring'; expected a positive duration such as 90s, 15m, 1h or 30d.", ErrorCodes.InvalidConfig);
        return null;
    }

    /// <summary>
    /// A default webhook as written: not expanded, since its variables are read only to send (a secret URL never sits
    /// in the loaded configuration); checked as a URL when it names no variable, as an alert's webhook is.
    /// </summary>
    internal static string? DefaultWebhook(YamlNode node, string key, YamlReader yaml)
    {
        // A plain null lets an overlay take away the default of the file below it.
        if (node is YamlScalarNode { Value: "null" or "~", Style: YamlDotNet.Core.ScalarStyle.Plain } || yaml.ScalarOrNull(node, $"'{key}'") is not { Length: > 0 } written)
        {
            return null;
        }

        if (!written.Contains("${", StringComparison.Ordinal) && !Alerts.WebhookUrl.IsValid(written))
        {
            yaml.Error(node, $"Invalid '{key}': not an absolute http or https URL (write ${{VAR}} to keep a secret URL out of the repository).", ErrorCodes.InvalidConfig);
            return null;
        }

        return written;
    }

    private static string OrDefault(string? type, string defaultType) => string.IsNullOrWhiteSpace(type) ? defaultType : type;

    /// <summary>Reads scalar values with environment variables expanded, reporting unset variables at their line.</summary>
    private sealed class ConfigValueReader(YamlReader yaml, Func<string, string?> variables)
    {
        public string? Required(YamlMappingNode map, string key, string what) =>
            yaml.RequiredString(map, key, what) is not null ? Expand(YamlReader.Get(map, key)!, key) : null;

        public string? Optional(YamlMappingNode map, string key, string what) =>
            yaml.OptionalString(map, key, what) is not null ? Expand(YamlReader.Get(map, key)!, key) : null;

        public string? Expand(YamlNode node, string key)
        {
            if (yaml.ScalarOrNull(node, $"'{key}'") is not { } text)
            {
                return null;
            }

            if (EnvironmentVariables.TryExpand(text, variables, out var expanded, out var missing))
            {
                return expanded;
            }

            yaml.Error(node, $"'{key}' refers to the environment variable {missing}, which is not set; set it or write ${{{missing}:-default}}.", ErrorCodes.InvalidConfig);
            return null;
        }
    }
}
