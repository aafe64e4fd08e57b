using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Turns one definitions file (top-level lists <c>entities</c>, <c>sources</c>, <c>feature_views</c>,
/// <c>feature_services</c>) into objects, recording where each was written. Field names follow Feast's Python SDK.
/// </summary>
internal sealed class DefinitionFileParser(YamlReader yaml, DefinitionLocations locations)
{
    public static readonly string[] TopLevelKeys = ["entities", "sources", "feature_views", "feature_services"];

    private static readonly string[] MetadataKeys = ["name", "description", "owner", "tags"];

    public List<Entity> Entities { get; } = [];

    public List<DataSource> Sources { get; } = [];

    public List<FeatureView> FeatureViews { get; } = [];

    public List<FeatureService> FeatureServices { get; } = [];

    /// <summary>True when the document uses at least one of the definition lists (others are not ours and are skipped).</summary>
    public static bool IsDefinitionDocument(YamlNode root) =>
        root is YamlMappingNode map && Array.Exists(TopLevelKeys, k => YamlReader.Get(map, k) is not null);

    /// <summary>Reports a document that is not a definitions file but nearly is (a misspelt top-level key, or a list of such mappings).</summary>
    public static void ReportNearMisses(YamlNode root, YamlReader yaml)
    {
        switch (root)
        {
            case YamlMappingNode map:
                foreach (var (k, _) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } key } && Suggestions.Closest(key, TopLevelKeys) is { } suggestion)
                    {
                        yaml.Error(k, $"Unknown top-level key '{key}'; did you mean '{suggestion}'? (A definitions file has the lists {string.Join(", ", TopLevelKeys)}.)");
                    }
                }

                break;
            case YamlSequenceNode { Children: [YamlMappingNode first, ..] } when IsDefinitionDocument(first):
                yaml.Error(root, $"A definitions file is a mapping with the lists {string.Join(", ", TopLevelKeys)}, not a list; remove the leading '- '.");
                break;
        }
    }

    public void Parse(YamlMappingNode root)
    {
        yaml.CheckKeys(root, "a definitions file", TopLevelKeys);
        ParseList(root, "entities", ObjectKind.Entity, "entity", ParseEntity, Entities);
        ParseList(root, "sources", ObjectKind.DataSource, "source", ParseSource, Sources);
        ParseList(root, "feature_views", ObjectKind.FeatureView, "feature view", ParseFeatureView, FeatureViews);
        ParseList(root, "feature_services", ObjectKind.FeatureService, "feature service", ParseFeatureService, FeatureServices);
    }

    private void ParseList<T>(YamlMappingNode root, string key, ObjectKind kind, string what, Func<YamlMappingNode, string, T?> parse, List<T> into)
        where T : Definition
    {
        if (YamlReader.Get(root, key) is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (yaml.Sequence(node, $"'{key}'") is not { } items)
        {
            return;
        }

        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, $"each item of '{key}'") is not { } map)
            {
                continue;
            }

            var name = yaml.RequiredString(map, "name", $"a {what}");
            if (name is null)
            {
                continue;
            }

            var label = $"{what} '{name}'";
            if (!Identifier.IsValid(name))
            {
                yaml.Error(YamlReader.Get(map, "name")!, $"Invalid name for {label}: use {Identifier.Rule}.");
            }

            if (parse(map, label) is { } parsed)
            {
                // Metadata is read the same way for every kind, so it is applied here rather than in each parser.
                var definition = (T)(parsed with
                {
                    Description = yaml.OptionalString(map, "description", label) ?? "",
                    Owner = yaml.OptionalString(map, "owner", label) ?? "",
                    Tags = yaml.StringMap(map, "tags", label),
                });
                locations.Record(definition, "", yaml.At(map));
                RecordFieldLocations(definition, map);
                into.Add(definition);
            }
            else
            {
                locations.Unloaded.Add(kind, name);
            }
        }
    }

    private Entity? ParseEntity(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, [.. MetadataKeys, "join_keys", "join_key", "value_type"]);
        var name = yaml.RequiredString(map, "name", label)!;
        if (YamlReader.Get(map, "join_key") is { } single && YamlReader.Get(map, "join_keys") is not null)
        {
            yaml.Error(single, $"{Capitalize(label)} has both 'join_key' and 'join_keys'; keep 'join_keys'.");
        }

        var keyNodes = yaml.StringList(map, YamlReader.Get(map, "join_key") is null ? "join_keys" : "join_key", label);
        foreach (var (key, node) in keyNodes)
        {
            if (!Identifier.IsValid(key))
            {
                yaml.Error(node, $"Invalid join key '{key}' in {label}: use {Identifier.Rule}.");
            }
        }

        var joinKeys = keyNodes.ConvertAll(k => k.Value);
        if (joinKeys.Count == 0)
        {
            joinKeys.Add(name);
        }

        // Without its key type the entity cannot be checked against anything; it is left out (and reported once).
        if (ParseType(map, "value_type", label, required: true) is not { } valueType)
        {
            return null;
        }

        return new Entity
        {
            Name = name,
            JoinKeys = joinKeys,
            ValueType = valueType,
        };
    }

    private DataSource? ParseSource(YamlMappingNode map, string label)
    {
        var type = yaml.RequiredString(map, "type", label);
        var name = yaml.RequiredString(map, "name", label)!;
        string[] batchKeys = ["timestamp_field", "created_timestamp_column", "field_mapping"];
        switch (type)
        {
            case "file":
            {
                yaml.CheckKeys(map, label, [.. MetadataKeys, "type", "path", .. batchKeys]);
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

            case "postgres":
            {
                yaml.CheckKeys(map, label, [.. MetadataKeys, "type", "table", "query", .. batchKeys]);
                var table = yaml.OptionalString(map, "table", label) is { Length: > 0 } t ? t : null;
                var query = yaml.OptionalString(map, "query", label) is { Length: > 0 } q ? q : null;
                if ((table is null) == (query is null))
                {
                    yaml.Error(map, $"{Capitalize(label)} needs exactly one of 'table' and 'query'.");
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

            case "push":
            {
                yaml.CheckKeys(map, label, [.. MetadataKeys, "type", "batch_source"]);
                var batch = yaml.RequiredString(map, "batch_source", label);
                return new PushSource
                {
                    Name = name,
                    BatchSourceName = batch ?? "",
                };
            }

            case null:
                return null;
            default:
                var suggestion = Suggestions.Closest(type, ["file", "postgres", "push"]);
                yaml.Error(YamlReader.Get(map, "type")!, $"Unknown type '{type}' for {label}; expected file, postgres or push{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}.");
                return null;
        }
    }

    private FeatureView? ParseFeatureView(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, [.. MetadataKeys, "entities", "schema", "ttl", "source", "online"]);
        var name = yaml.RequiredString(map, "name", label)!;
        var source = yaml.RequiredString(map, "source", label);
        var ttl = TimeSpan.Zero;
        if (YamlReader.Get(map, "ttl") is { } ttlNode && yaml.ScalarOrNull(ttlNode, $"'ttl' of {label}") is { } ttlText)
        {
            if (!Durations.TryParse(ttlText, out ttl))
            {
                yaml.Error(ttlNode, $"Invalid ttl '{ttlText}' for {label}; expected {Durations.Grammar}.");
            }
        }

        var schema = new List<Field>();
        if (YamlReader.Get(map, "schema") is { } schemaNode && yaml.Sequence(schemaNode, $"'schema' of {label}") is { } fields)
        {
            foreach (var fieldNode in fields.Children)
            {
                if (yaml.Mapping(fieldNode, $"each field in the schema of {label}") is not { } fieldMap)
                {
                    continue;
                }

                var fieldName = yaml.RequiredString(fieldMap, "name", $"a field of {label}");
                var fieldLabel = $"field '{fieldName}' of {label}";
                yaml.CheckKeys(fieldMap, fieldLabel, "name", "dtype", "description", "tags");
                if (fieldName is not null && !Identifier.IsValid(fieldName))
                {
                    yaml.Error(YamlReader.Get(fieldMap, "name")!, $"Invalid name for {fieldLabel}: use {Identifier.Rule}.");
                }

                var type = ParseType(fieldMap, "dtype", fieldLabel, required: true);
                if (fieldName is not null && type is null)
                {
                    locations.Unloaded.AddField(name, fieldName);
                }

                if (fieldName is not null && type is { } t)
                {
                    schema.Add(new Field(fieldName, t)
                    {
                        Description = yaml.OptionalString(fieldMap, "description", fieldLabel) ?? "",
                        Tags = yaml.StringMap(fieldMap, "tags", fieldLabel),
                    });
                }
            }
        }
        else if (YamlReader.Get(map, "schema") is null)
        {
            yaml.Error(map, $"{Capitalize(label)} needs a 'schema' listing its features ({{name, dtype}}).");
        }

        return new FeatureView
        {
            Name = name,
            Entities = yaml.StringList(map, "entities", label).ConvertAll(e => e.Value),
            Schema = schema,
            Ttl = ttl,
            Source = source ?? "",
            Online = yaml.OptionalBool(map, "online", label) ?? true,
        };
    }

    private FeatureService? ParseFeatureService(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, [.. MetadataKeys, "features"]);
        var name = yaml.RequiredString(map, "name", label)!;
        var features = new List<FeatureReference>();
        foreach (var (text, node) in yaml.StringList(map, "features", label))
        {
            if (FeatureReference.TryParse(text, out var reference))
            {
                features.Add(reference);
            }
            else
            {
                yaml.Error(node, $"Invalid feature reference '{text}' in {label}; expected view:feature.");
            }
        }

        if (YamlReader.Get(map, "features") is null)
        {
            yaml.Error(map, $"{Capitalize(label)} needs 'features: [view:feature, ...]'.");
        }

        return new FeatureService
        {
            Name = name,
            Features = features,
        };
    }

    private FeatureType? ParseType(YamlMappingNode map, string key, string label, bool required)
    {
        var text = required ? yaml.RequiredString(map, key, label) : yaml.OptionalString(map, key, label);
        if (text is null)
        {
            return null;
        }

        if (FeatureType.TryParse(text, out var type))
        {
            return type;
        }

        yaml.Error(YamlReader.Get(map, key)!, $"Unknown {key} '{text}' for {label}; expected {FeatureType.ValidNames}.");
        return null;
    }

    /// <summary>Records the line of every list item and key that validation may point at.</summary>
    private void RecordFieldLocations(Definition definition, YamlMappingNode map)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            locations.Record(definition, key, yaml.At(v));
            if (v is YamlSequenceNode seq)
            {
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    locations.Record(definition, $"{key}[{i}]", yaml.At(seq.Children[i]));
                    if (seq.Children[i] is YamlMappingNode itemMap)
                    {
                        foreach (var (ik, iv) in itemMap.Children)
                        {
                            if (ik is YamlScalarNode { Value: { } itemKey })
                            {
                                locations.Record(definition, $"{key}[{i}].{itemKey}", yaml.At(iv));
                            }
                        }
                    }
                }
            }
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
