using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;
using Granary.Registry.Validation;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Configuration;

/// <summary>Reads <c>granary.yaml</c>: project, registry, offline_store, online_store, with <c>${VAR}</c> expansion.</summary>
public static class ConfigParser
{
    /// <summary>Loads and validates the configuration of the repository at <paramref name="repositoryRoot"/>.</summary>
    /// <exception cref="GranaryException">The file is missing (<see cref="ErrorCodes.InvalidConfig"/>).</exception>
    /// <exception cref="DefinitionException">The file has mistakes; each names its line.</exception>
    public static RepositoryConfig Load(string repositoryRoot, Func<string, string?>? environment = null)
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

        var diagnostics = new DiagnosticBag();
        var config = Parse(File.ReadAllText(path), root, diagnostics, environment ?? Environment.GetEnvironmentVariable);
        diagnostics.ThrowIfAny();
        return config!;
    }

    internal static RepositoryConfig? Parse(string text, string root, DiagnosticBag diagnostics, Func<string, string?> environment)
    {
        var yaml = new YamlReader(RepositoryConfig.FileName, diagnostics, ErrorCodes.InvalidConfig);
        var documents = yaml.ParseDocuments(text);
        if (documents.Count == 0)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Add(ErrorCodes.InvalidConfig, $"{RepositoryConfig.FileName} is empty; it needs at least 'project: NAME'.", new SourceLocation(RepositoryConfig.FileName, 1));
            }

            return null;
        }

        if (yaml.Mapping(documents[0], RepositoryConfig.FileName) is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, RepositoryConfig.FileName, "project", "registry", "offline_store", "online_store");
        var reader = new ConfigValueReader(yaml, environment);
        var project = reader.Required(map, "project", RepositoryConfig.FileName);
        if (project is not null && !Identifier.IsValid(project))
        {
            yaml.Error(YamlReader.Get(map, "project")!, $"Invalid project name '{project}': use {Identifier.Rule}.", ErrorCodes.InvalidConfig);
        }

        var registry = ParseRegistry(map, root, yaml, reader);
        var offline = ParseStore(map, "offline_store", StoreConfig.OfflineTypes, StoreConfig.DuckDb, yaml, reader);
        var online = ParseStore(map, "online_store", StoreConfig.OnlineTypes, StoreConfig.Embedded, yaml, reader);
        return project is null
            ? null
            : new RepositoryConfig
            {
                Project = project,
                RepositoryRoot = root,
                Registry = registry,
                OfflineStore = offline,
                OnlineStore = online,
            };
    }

    private static RegistryConfig ParseRegistry(YamlMappingNode map, string root, YamlReader yaml, ConfigValueReader reader)
    {
        var node = YamlReader.Get(map, "registry");
        if (node is null)
        {
            return new RegistryConfig(RegistryConfig.Sqlite, Path.Combine(root, RegistryConfig.DefaultPath), null);
        }

        if (node is YamlScalarNode)
        {
            var path = reader.Expand(node, "registry") is { Length: > 0 } p ? p : RegistryConfig.DefaultPath;
            return new RegistryConfig(RegistryConfig.Sqlite, path is null ? null : Path.GetFullPath(path, root), null);
        }

        if (yaml.Mapping(node, "'registry'") is not { } registry)
        {
            return new RegistryConfig(RegistryConfig.Sqlite, null, null);
        }

        yaml.CheckKeys(registry, "'registry'", "type", "path", "connection");
        var type = reader.Optional(registry, "type", "'registry'") ?? RegistryConfig.Sqlite;
        switch (type)
        {
            case RegistryConfig.Sqlite:
                var path = reader.Optional(registry, "path", "'registry'") ?? RegistryConfig.DefaultPath;
                return new RegistryConfig(type, Path.GetFullPath(path, root), null);
            case RegistryConfig.Postgres:
                return new RegistryConfig(type, null, reader.Required(registry, "connection", "a postgres registry"));
            default:
                yaml.Error(YamlReader.Get(registry, "type")!, $"Unknown registry type '{type}'; expected sqlite or postgres.", ErrorCodes.InvalidConfig);
                return new RegistryConfig(type, null, null);
        }
    }

    private static StoreConfig ParseStore(YamlMappingNode map, string key, string[] types, StoreConfig fallback, YamlReader yaml, ConfigValueReader reader)
    {
        var node = YamlReader.Get(map, key);
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return fallback;
        }

        var what = $"'{key}'";
        string? type;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? connection = null;
        if (node is YamlScalarNode)
        {
            type = reader.Expand(node, key);
        }
        else if (yaml.Mapping(node, what) is { } store)
        {
            type = reader.Optional(store, "type", what) ?? fallback.Type;
            foreach (var (k, v) in store.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                if (name is "type")
                {
                    continue;
                }

                if (reader.Expand(v, $"{key}.{name}") is { } value)
                {
                    if (name == "connection")
                    {
                        connection = value;
                    }
                    else
                    {
                        settings[name] = value;
                    }
                }
            }
        }
        else
        {
            return fallback;
        }

        if (type is not null && Array.IndexOf(types, type) < 0)
        {
            yaml.Error(node is YamlMappingNode m ? YamlReader.Get(m, "type") ?? node : node, $"Unknown {key} type '{type}'; expected {string.Join(" or ", types)}.", ErrorCodes.InvalidConfig);
        }

        if (type is not null && type != types[0] && connection is null)
        {
            yaml.Error(node, $"{what} of type {type} needs 'connection'.", ErrorCodes.InvalidConfig);
        }

        return new StoreConfig(type ?? fallback.Type, connection, settings);
    }

    /// <summary>Reads scalar values with environment variables expanded, reporting unset variables at their line.</summary>
    private sealed class ConfigValueReader(YamlReader yaml, Func<string, string?> environment)
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

            if (EnvironmentVariables.TryExpand(text, environment, out var expanded, out var missing))
            {
                return expanded;
            }

            yaml.Error(node, $"'{key}' refers to the environment variable {missing}, which is not set; set it or write ${{{missing}:-default}}.", ErrorCodes.InvalidConfig);
            return null;
        }
    }
}
