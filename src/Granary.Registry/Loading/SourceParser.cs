using Granary.Core.Errors;
using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads one item of <c>sources:</c>: a <c>file</c> or <c>postgres</c> batch source, a <c>push</c> source, or a
/// <c>redis_stream</c> or <c>nats</c> stream source. Push and stream sources log what they receive to their
/// <c>batch_source</c>, which gives them their columns and history.
/// </summary>
internal sealed class SourceParser(YamlReader yaml)
{
    private static readonly string[] Types = ["file", "postgres", "push", "redis_stream", "nats"];

    private static readonly string[] BatchKeys = ["timestamp_field", "created_timestamp_column", "field_mapping"];

    public DataSource? Parse(YamlMappingNode map, string label)
    {
        var type = yaml.RequiredString(map, "type", label);
        var name = yaml.RequiredString(map, "name", label)!;
        switch (type)
        {
            case "file":
                return ParseFile(map, label, name);
            case "postgres":
                return ParsePostgres(map, label, name);
            case "push":
                yaml.CheckKeys(map, label, [.. DefinitionFileParser.MetadataKeys, "type", "batch_source"]);
                return new PushSource { Name = name, BatchSourceName = yaml.RequiredString(map, "batch_source", label) ?? "" };
            case "redis_stream":
                yaml.CheckKeys(map, label, [.. DefinitionFileParser.MetadataKeys, "type", "connection", "stream", "group", "batch_source", "timestamp_field"]);
                return new RedisStreamSource
                {
                    Name = name,
                    Connection = yaml.RequiredString(map, "connection", label) ?? "",
                    Stream = yaml.RequiredString(map, "stream", label) ?? "",
                    Group = yaml.RequiredString(map, "group", label) ?? "",
                    BatchSourceName = yaml.RequiredString(map, "batch_source", label) ?? "",
                    TimestampField = yaml.OptionalString(map, "timestamp_field", label),
                };
            case "nats":
                yaml.CheckKeys(map, label, [.. DefinitionFileParser.MetadataKeys, "type", "url", "stream", "subject", "durable", "batch_source", "timestamp_field"]);
                return new NatsSource
                {
                    Name = name,
                    Url = yaml.RequiredString(map, "url", label) ?? "",
                    Stream = yaml.RequiredString(map, "stream", label) ?? "",
                    Subject = yaml.RequiredString(map, "subject", label) ?? "",
                    Durable = yaml.RequiredString(map, "durable", label) ?? "",
                    BatchSourceName = yaml.RequiredString(map, "batch_source", label) ?? "",
                    TimestampField = yaml.OptionalString(map, "timestamp_field", label),
                };
            case null:
                return null;
            default:
                var suggestion = Suggestions.Closest(type, Types);
                yaml.Error(YamlReader.Get(map, "type")!, $"Unknown type '{type}' for {label}; expected file, postgres, push, redis_stream or nats{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}.");
                return null;
        }
    }

    private FileSource ParseFile(YamlMappingNode map, string label, string name)
    {
        yaml.CheckKeys(map, label, [.. DefinitionFileParser.MetadataKeys, "type", "path", .. BatchKeys]);
        var path = yaml.RequiredString(map, "path", label);
        var format = path is null ? null : FileSource.FormatOf(path);
        if (path is not null && format is null)
        {
            yaml.Error(YamlReader.Get(map, "path")!, $"The path of {label} must end in .parquet or .csv, not '{Path.GetExtension(path)}'.");
        }

        var timestamp = yaml.RequiredString(map, "timestamp_field", label);
        return new FileSource
        {
            Name = name,
            Path = path ?? "", Format = format ?? FileFormat.Parquet,
            TimestampField = timestamp ?? "",
            CreatedTimestampColumn = yaml.OptionalString(map, "created_timestamp_column", label),
            FieldMapping = yaml.StringMap(map, "field_mapping", label),
        };
    }

    private PostgresSource ParsePostgres(YamlMappingNode map, string label, string name)
    {
        yaml.CheckKeys(map, label, [.. DefinitionFileParser.MetadataKeys, "type", "table", "query", .. BatchKeys]);
        var table = yaml.OptionalString(map, "table", label) is { Length: > 0 } t ? t : null;
        var query = yaml.OptionalString(map, "query", label) is { Length: > 0 } q ? q : null;
        if ((table is null) == (query is null))
        {
            yaml.Error(map, $"{DefinitionFileParser.Capitalize(label)} needs exactly one of 'table' and 'query'.");
        }

        var timestamp = yaml.RequiredString(map, "timestamp_field", label);
        return new PostgresSource
        {
            Name = name,
            Table = table, Query = query,
            TimestampField = timestamp ?? "",
            CreatedTimestampColumn = yaml.OptionalString(map, "created_timestamp_column", label),
            FieldMapping = yaml.StringMap(map, "field_mapping", label),
        };
    }
}
