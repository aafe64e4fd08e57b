using System.Globalization;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Registry.Loading;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Configuration;

/// <summary>
/// The <c>feature_store:</c> section: the keys of the environment-driven feature store contract
/// (<c>provider</c>, <c>connection_info</c>, <c>offline_store_uri</c>, ...), turned into Granary's own sections so that
/// a team's existing <c>config/ENV.yaml</c> works as it is. docs/configuration.md has the table.
/// </summary>
/// <remarks>
/// An alias and the explicit section it stands for may both be set: the later file wins, as any overlay does. Both in
/// one file is a mistake naming both lines, since nothing says which one was meant.
/// </remarks>
internal sealed class FeatureStoreAliases
{
    /// <summary>The section's key at the top of a configuration file.</summary>
    public const string SectionName = "feature_store";

    /// <summary>The one <c>offline_store_uri</c> scheme Granary reads: a folder of files, read by DuckDB.</summary>
    public const string FileScheme = "file://";

    // The online store key the alias of the same name sets (Granary.Online's OnlineCacheOptions.TtlKey).
    private const string CacheTtlKey = "cache_ttl";

    private static readonly FeatureStoreAliases None = new();

    private StoreSection? _online;
    private StoreSetting? _cacheTtl;
    private StoreSection? _offline;
    private bool _debugLogging;
    private bool _monitoring;
    private int? _poolSize;
    private int? _timeoutMilliseconds;
    private string? _monitoringEndpoint;

    /// <summary>Reads the section from the merged tree, reporting its mistakes and its unmapped keys.</summary>
    public static FeatureStoreAliases Read(YamlMappingNode root, YamlReader yaml, ConfigurationLayers layers, Func<YamlNode, string, string?> expand)
    {
        if (YamlReader.Get(root, SectionName) is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return None;
        }

        if (yaml.Mapping(node, $"'{SectionName}'") is not { } section)
        {
            return None;
        }

        var aliases = new FeatureStoreAliases();
        var info = YamlReader.Get(section, "connection_info") is YamlMappingNode map ? map : null;
        if (YamlReader.Get(section, "connection_info") is { } infoNode && info is null && infoNode is not YamlScalarNode { Value: null or "" })
        {
            yaml.Mapping(infoNode, $"'{SectionName}.connection_info'");
        }

        foreach (var (key, value) in section.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (name is "provider" or "connection_info" or "offline_store_uri" or "connection_timeout" or "retry_attempts" or "enable_debug_logging" or "enable_monitoring" or "monitoring_endpoint" or "connection_pool_size" or "cache_ttl")
            {
                continue;
            }

            yaml.Diagnostics.AddWarning(
                ErrorCodes.InvalidConfig,
                $"'{SectionName}.{name}' is not a key Granary maps and is ignored; the mapped keys are provider, connection_info, offline_store_uri, connection_timeout, retry_attempts, connection_pool_size, cache_ttl, enable_debug_logging, enable_monitoring and monitoring_endpoint.",
                yaml.At(key));
        }

        if (info is not null)
        {
            foreach (var (key, _) in info.Children)
            {
                if ((key as YamlScalarNode)?.Value is not ("redis_host" or "redis_db" or "redis_password" or "offline_store_uri"))
                {
                    yaml.Diagnostics.AddWarning(
                        ErrorCodes.InvalidConfig,
                        $"'{SectionName}.connection_info.{(key as YamlScalarNode)?.Value}' is not a key Granary maps and is ignored; the mapped keys are redis_host, redis_db, redis_password and offline_store_uri.",
                        yaml.At(key));
                }
            }
        }

        aliases._poolSize = Count(section, "connection_pool_size", yaml, expand);
        aliases._timeoutMilliseconds = Milliseconds(section, "connection_timeout", yaml, expand);
        if (aliases._poolSize is not null && !IsPostgres(root, "registry") && !IsPostgres(root, "offline_store"))
        {
            yaml.Diagnostics.AddWarning(
                ErrorCodes.InvalidConfig,
                $"'{SectionName}.connection_pool_size' sizes the connection pools of PostgreSQL stores, and this configuration has none; it is ignored (the Redis online store multiplexes one connection per server).",
                yaml.At(YamlReader.Get(section, "connection_pool_size")!));
        }

        aliases._debugLogging = Switch(section, "enable_debug_logging", yaml, expand);
        aliases._monitoring = Switch(section, "enable_monitoring", yaml, expand);
        aliases._monitoringEndpoint = ReadMonitoringEndpoint(root, section, yaml, layers);
        aliases._online = ReadOnline(root, section, info, yaml, layers, expand, aliases._timeoutMilliseconds);
        aliases._cacheTtl = ReadCacheTtl(root, section, yaml, layers, expand);
        aliases._offline = ReadOffline(root, section, info, yaml, layers, expand);
        return aliases;
    }

    /// <summary>The configuration with the sections the aliases stand for in place of the explicit ones they win over.</summary>
    public RepositoryConfig ApplyTo(RepositoryConfig config) => config with
    {
        Registry = Pooled(config.Registry),
        OnlineStore = WithCacheTtl(_online ?? config.OnlineStore),
        OfflineStore = Pooled(_offline ?? config.OfflineStore),
        DebugLogging = _debugLogging,
        MonitoringEnabled = _monitoring,
        Monitoring = _monitoringEndpoint is null ? config.Monitoring : config.Monitoring with { DefaultWebhook = _monitoringEndpoint },
    };

    /// <summary>The online store section with the alias's <c>cache_ttl</c>, which any online store type takes.</summary>
    private StoreSection WithCacheTtl(StoreSection online)
    {
        if (_cacheTtl is not { } ttl)
        {
            return online;
        }

        var settings = new Dictionary<string, StoreSetting>(online.Settings, StringComparer.Ordinal) { [CacheTtlKey] = ttl };
        return new StoreSection(online.Type, settings, online.Location, online.TypeLocation);
    }

    /// <summary>
    /// <c>cache_ttl</c>: the online read cache's TTL, in seconds or as a duration, as <c>online_store.cache_ttl</c> sets it; null when absent or
    /// when a later file's <c>online_store.cache_ttl</c> wins.
    /// </summary>
    private static StoreSetting? ReadCacheTtl(YamlMappingNode root, YamlMappingNode section, YamlReader yaml, ConfigurationLayers layers, Func<YamlNode, string, string?> expand)
    {
        if (YamlReader.Get(section, CacheTtlKey) is not { } node || expand(node, $"{SectionName}.{CacheTtlKey}") is not { } text)
        {
            return null;
        }

        // The contract writes the TTL in seconds (cache_ttl: 7200); a Granary duration (2h) is taken as it is.
        var explicitNode = YamlReader.Get(root, "online_store") is YamlMappingNode online ? YamlReader.Get(online, CacheTtlKey) : null;
        var ttl = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? $"{seconds}s" : text;
        return Wins(explicitNode, $"online_store.{CacheTtlKey}", node, yaml, layers) ? new StoreSetting(ttl, yaml.At(node)) : null;
    }

    /// <summary>
    /// A PostgreSQL section with the pool size and connect timeout added to its Npgsql connection string, unless the
    /// string sets them itself (the explicit setting is the more specific one).
    /// </summary>
    private StoreSection Pooled(StoreSection section)
    {
        if ((_poolSize is null && _timeoutMilliseconds is null) || section.Type != "postgres" || !section.Settings.TryGetValue("connection", out var connection))
        {
            return section;
        }

        var text = new StringBuilder(connection.Value.TrimEnd(';'));
        if (_poolSize is { } size && !NpgsqlKeyword(connection.Value, "Maximum Pool Size|Max Pool Size|MaxPoolSize"))
        {
            text.Append(CultureInfo.InvariantCulture, $";Maximum Pool Size={size}");
        }

        if (_timeoutMilliseconds is { } timeout && !NpgsqlKeyword(connection.Value, "Timeout"))
        {
            // Npgsql's connect timeout is in whole seconds; rounding up never makes it shorter than asked.
            text.Append(CultureInfo.InvariantCulture, $";Timeout={(timeout + 999) / 1000}");
        }

        var settings = new Dictionary<string, StoreSetting>(section.Settings, StringComparer.Ordinal)
        {
            ["connection"] = new StoreSetting(text.ToString(), connection.Location),
        };
        return new StoreSection(section.Type, settings, section.Location, section.TypeLocation);
    }

    private static bool NpgsqlKeyword(string connection, string keywords) =>
        System.Text.RegularExpressions.Regex.IsMatch(connection, $@"(^|;)\s*({keywords})\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static bool IsPostgres(YamlMappingNode root, string key) =>
        YamlReader.Get(root, key) is YamlMappingNode section && YamlReader.Get(section, "type") is YamlScalarNode { Value: "postgres" };

    /// <summary>A true/false key of the section; false when absent or not one (which is reported).</summary>
    private static bool Switch(YamlMappingNode section, string key, YamlReader yaml, Func<YamlNode, string, string?> expand)
    {
        if (YamlReader.Get(section, key) is not { } node || expand(node, $"{SectionName}.{key}") is not { } text)
        {
            return false;
        }

        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off" or "":
                return false;
            default:
                yaml.Error(node, $"'{SectionName}.{key}' must be true or false, not '{text}'.");
                return false;
        }
    }

    /// <summary>
    /// <c>monitoring_endpoint</c>: the default webhook of alerts that name none, as <c>monitoring.default_webhook</c>
    /// sets it; null when absent or when a later file's <c>monitoring.default_webhook</c> wins.
    /// </summary>
    private static string? ReadMonitoringEndpoint(YamlMappingNode root, YamlMappingNode section, YamlReader yaml, ConfigurationLayers layers)
    {
        if (YamlReader.Get(section, "monitoring_endpoint") is not { } node)
        {
            return null;
        }

        var written = ConfigParser.DefaultWebhook(node, $"{SectionName}.monitoring_endpoint", yaml);
        var explicitNode = YamlReader.Get(root, "monitoring") is YamlMappingNode monitoring ? YamlReader.Get(monitoring, "default_webhook") : null;
        return written is not null && Wins(explicitNode, "monitoring.default_webhook", node, yaml, layers) ? written : null;
    }

    private static StoreSection? ReadOnline(YamlMappingNode root, YamlMappingNode section, YamlMappingNode? info, YamlReader yaml, ConfigurationLayers layers, Func<YamlNode, string, string?> expand, int? timeout)
    {
        var providerNode = YamlReader.Get(section, "provider");
        if (providerNode is null)
        {
            return null;
        }

        var provider = expand(providerNode, $"{SectionName}.provider");
        if (provider is not "redis")
        {
            if (provider is not null)
            {
                yaml.Error(providerNode, $"Unknown '{SectionName}.provider' '{provider}'; Granary maps only redis (a Redis online store). Other stores are set with 'online_store: {{type: ...}}'.");
            }

            return null;
        }

        if (!Wins(root, "online_store", providerNode, yaml, layers))
        {
            return null;
        }

        var host = Value(info, "redis_host", yaml, expand) ?? ("localhost:6379", providerNode);
        var connection = new StringBuilder(host.Text);
        if (Value(info, "redis_db", yaml, expand) is { } db)
        {
            if (!int.TryParse(db.Text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                yaml.Error(db.Node, $"'{SectionName}.connection_info.redis_db' must be a database number such as 0, not '{db.Text}'.");
            }

            connection.Append(",defaultDatabase=").Append(db.Text);
        }

        if (Value(info, "redis_password", yaml, expand) is { } password)
        {
            if (password.Text.Contains(',', StringComparison.Ordinal))
            {
                // The Redis connection string separates its options with commas; this password cannot be written in one.
                yaml.Error(password.Node, $"'{SectionName}.connection_info.redis_password' contains a comma, which a Redis connection string cannot carry; set online_store.connection instead.");
            }

            connection.Append(",password=").Append(password.Text);
        }

        if (timeout is { } milliseconds)
        {
            connection.Append(",connectTimeout=").Append(milliseconds.ToString(CultureInfo.InvariantCulture));
        }

        if (Count(section, "retry_attempts", yaml, expand) is { } retries)
        {
            connection.Append(",connectRetry=").Append(retries.ToString(CultureInfo.InvariantCulture));
        }

        var settings = new Dictionary<string, StoreSetting>(StringComparer.Ordinal)
        {
            ["connection"] = new StoreSetting(connection.ToString(), yaml.At(host.Node)),
        };
        return new StoreSection("redis", settings, yaml.At(providerNode), yaml.At(providerNode));
    }

    private static StoreSection? ReadOffline(YamlMappingNode root, YamlMappingNode section, YamlMappingNode? info, YamlReader yaml, ConfigurationLayers layers, Func<YamlNode, string, string?> expand)
    {
        // The contract writes it inside connection_info; the top of the section is accepted too.
        var node = YamlReader.Get(section, "offline_store_uri") ?? (info is null ? null : YamlReader.Get(info, "offline_store_uri"));
        if (node is null || expand(node, $"{SectionName}.offline_store_uri") is not { Length: > 0 } uri)
        {
            return null;
        }

        if (!uri.StartsWith(FileScheme, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = uri.IndexOf("://", StringComparison.Ordinal) is var end and > 0 ? uri[..(end + 3)] : uri;
            yaml.Error(node, $"'{SectionName}.offline_store_uri' '{uri}' uses {scheme}, which Granary does not read; the supported scheme is file:// (a folder DuckDB reads). A warehouse is set with 'offline_store: {{type: postgres, ...}}'.");
            return null;
        }

        if (!Wins(root, "offline_store", node, yaml, layers))
        {
            return null;
        }

        var settings = new Dictionary<string, StoreSetting>(StringComparer.Ordinal)
        {
            ["data_folder"] = new StoreSetting(uri[FileScheme.Length..], yaml.At(node)),
        };
        return new StoreSection(RepositoryConfig.DefaultOfflineType, settings, yaml.At(node), yaml.At(node));
    }

    /// <summary>Whether the alias at <paramref name="alias"/> is later than the explicit section; both in one file is an error.</summary>
    private static bool Wins(YamlMappingNode root, string explicitKey, YamlNode alias, YamlReader yaml, ConfigurationLayers layers) =>
        Wins(YamlReader.Get(root, explicitKey), explicitKey, alias, yaml, layers);

    private static bool Wins(YamlNode? explicitNode, string explicitKey, YamlNode alias, YamlReader yaml, ConfigurationLayers layers)
    {
        if (explicitNode is null)
        {
            return true;
        }

        var files = layers.Files;
        var aliasFile = layers.FileOf(alias);
        var explicitFile = layers.FileOf(explicitNode);
        if (aliasFile == explicitFile)
        {
            yaml.Error(alias, $"{aliasFile} sets the {explicitKey} twice: '{explicitKey}' at line {yaml.At(explicitNode).Line} and the '{SectionName}' alias at line {yaml.At(alias).Line}; keep one.");
            return false;
        }

        return IndexOf(files, aliasFile) > IndexOf(files, explicitFile);
    }

    private static int IndexOf(IReadOnlyList<string> files, string file)
    {
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] == file)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A value of connection_info; null when absent or written as null.</summary>
    private static (string Text, YamlNode Node)? Value(YamlMappingNode? info, string key, YamlReader yaml, Func<YamlNode, string, string?> expand)
    {
        if (info is null || YamlReader.Get(info, key) is not { } node || node is YamlScalarNode { Value: null or "" or "null" or "~", Style: YamlDotNet.Core.ScalarStyle.Plain })
        {
            return null;
        }

        return expand(node, $"{SectionName}.connection_info.{key}") is { } text ? (text, node) : null;
    }

    private static int? Milliseconds(YamlMappingNode section, string key, YamlReader yaml, Func<YamlNode, string, string?> expand) =>
        Count(section, key, yaml, expand, "a number of milliseconds such as 5000");

    private static int? Count(YamlMappingNode section, string key, YamlReader yaml, Func<YamlNode, string, string?> expand, string expected = "a whole number such as 3")
    {
        if (YamlReader.Get(section, key) is not { } node || expand(node, $"{SectionName}.{key}") is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        yaml.Error(node, $"'{SectionName}.{key}' must be {expected}, not '{text}'.");
        return null;
    }
}
