using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Turns one definitions file (top-level lists <c>entities</c>, <c>sources</c>, <c>feature_views</c>,
/// <c>stream_feature_views</c>, <c>feature_services</c>, <c>alerts</c>, <c>on_demand_feature_views</c>, <c>derived_feature_views</c>, <c>experiments</c>) into objects, recording where each was written. Field names
/// follow Feast's Python SDK.
/// </summary>
internal sealed class DefinitionFileParser(YamlReader yaml, DefinitionLocations locations, IReadOnlyDictionary<string, LoadedRecipe?>? recipes = null, bool hasDefaultWebhook = false)
{
    // Services declared from a recipe: their features' lines are the recipe's, recorded once the service is built.
    private readonly Dictionary<string, LoadedRecipe> _servicesFromRecipes = new(StringComparer.Ordinal);

    public static readonly string[] TopLevelKeys = ["entities", "sources", "feature_views", "stream_feature_views", "feature_services", "alerts", "on_demand_feature_views", "derived_feature_views", "experiments"];

    internal static readonly string[] MetadataKeys = ["name", "description", "owner", "tags"];

    public List<Entity> Entities { get; } = [];

    public List<DataSource> Sources { get; } = [];

    public List<FeatureView> FeatureViews { get; } = [];

    public List<FeatureService> FeatureServices { get; } = [];

    public List<Alert> Alerts { get; } = [];

    public List<OnDemandFeatureView> OnDemandFeatureViews { get; } = [];
    public List<Experiment> Experiments { get; } = [];

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
        ParseList(root, "sources", ObjectKind.DataSource, "source", new SourceParser(yaml).Parse, Sources);
        ParseList(root, "feature_views", ObjectKind.FeatureView, "feature view", ParseFeatureView, FeatureViews);
        ParseList(root, "stream_feature_views", ObjectKind.FeatureView, "stream feature view", new StreamFeatureViewParser(yaml, this).Parse, FeatureViews);
        ParseList(root, "feature_services", ObjectKind.FeatureService, "feature service", ParseFeatureService, FeatureServices);
        new AlertParser(yaml, locations, hasDefaultWebhook).Parse(root, Alerts);
        ParseList(root, "on_demand_feature_views", ObjectKind.OnDemandFeatureView, "on-demand feature view", new OnDemandFeatureViewParser(yaml, this).Parse, OnDemandFeatureViews);
        ParseList(root, "derived_feature_views", ObjectKind.FeatureView, "derived feature view", new DerivedFeatureViewParser(yaml, this).Parse, FeatureViews);
        new ExperimentParser(yaml, locations).Parse(root, Experiments);
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
                if (definition is FeatureService && _servicesFromRecipes.Remove(name, out var recipe))
                {
                    for (var i = 0; i < recipe.Sites.Count; i++)
                    {
                        locations.Record(definition, $"features[{i}]", recipe.Sites[i].FeatureAt);
                    }
                }

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

    private FeatureView? ParseFeatureView(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, [.. MetadataKeys, "entities", "schema", "ttl", "source", "online", "feature_type", "freshness"]);
        var name = yaml.RequiredString(map, "name", label)!;
        var source = yaml.RequiredString(map, "source", label);
        var ttl = ParseDuration(map, "ttl", label) ?? TimeSpan.Zero;

        var schema = ParseSchema(map, name, label, governed: true);
        if (YamlReader.Get(map, "schema") is null)
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
            Category = new GovernedKeysParser(yaml).Category(map, label),
            Freshness = new FreshnessParser(yaml).Parse(map, label),
        };
    }

    private FeatureService? ParseFeatureService(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, [.. MetadataKeys, "features", "recipe"]);
        var name = yaml.RequiredString(map, "name", label)!;
        if (YamlReader.Get(map, "recipe") is { } recipeNode)
        {
            if (YamlReader.Get(map, "features") is not null)
            {
                yaml.Error(recipeNode, $"{Capitalize(label)} has both 'features' and 'recipe'; keep one: the recipe's features, or the list.");
                return null;
            }

            return FromRecipe(name, label, recipeNode);
        }

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
            yaml.Error(map, $"{Capitalize(label)} needs 'features: [view:feature, ...]' or 'recipe: NAME' (recipes/NAME.yaml).");
        }

        return new FeatureService
        {
            Name = name,
            Features = features,
        };
    }

    // A service over a recipe's features: resolved now, so what is planned and applied is the list itself.
    private FeatureService? FromRecipe(string name, string label, YamlNode recipeNode)
    {
        if (yaml.ScalarOrNull(recipeNode, $"'recipe' of {label}") is not { Length: > 0 } recipeName)
        {
            yaml.Error(recipeNode, $"'recipe' of {label} names a recipe: recipes/NAME.yaml.");
            return null;
        }

        if (recipes is null || !recipes.TryGetValue(recipeName, out var recipe))
        {
            var names = recipes is null ? [] : new List<string>(recipes.Keys);
            var hint = Suggestions.Closest(recipeName, names) is { } close ? $"; did you mean '{close}'?" : names.Count > 0 ? $"; the repository has {string.Join(", ", names)}." : ".";
            yaml.Error(recipeNode, $"{Capitalize(label)} names recipe '{recipeName}', but there is no {RecipeLoader.Folder}/{recipeName}.yaml{hint}", ErrorCodes.UnknownReference);
            return null;
        }

        if (recipe is null)
        {
            // The recipe's own mistakes are reported; the service is left out rather than reported as empty.
            return null;
        }

        _servicesFromRecipes[name] = recipe;
        return new FeatureService
        {
            Name = name,
            Features = recipe.Recipe.References(),
        };
    }

    /// <summary>The optional duration under <paramref name="key"/>: null when absent or reported as invalid.</summary>
    /// <param name="map">The mapping that holds it.</param>
    /// <param name="key">Its key.</param>
    /// <param name="label">What holds it, for the message.</param>
    /// <param name="grammar">What is expected, for the message; by default <see cref="Durations.Grammar"/> (whose 0 means no limit).</param>
    internal TimeSpan? ParseDuration(YamlMappingNode map, string key, string label, string? grammar = null)
    {
        if (YamlReader.Get(map, key) is not { } node || yaml.ScalarOrNull(node, $"'{key}' of {label}") is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        yaml.Error(node, $"Invalid {key} '{text}' for {label}; expected {grammar ?? Durations.Grammar}.");
        return null;
    }

    /// <summary>
    /// The <c>schema:</c> list of <c>{name, dtype, description, tags}</c> fields; a field that fails to load is
    /// remembered as such. A feature view's fields (<paramref name="governed"/>) may also carry the governed keys of
    /// <see cref="GovernedKeysParser.FieldKeys"/>; a stream view's event columns may not.
    /// </summary>
    /// <param name="map">The view's mapping.</param>
    /// <param name="name">The view's name.</param>
    /// <param name="label">The view in messages.</param>
    /// <param name="governed">Fields take the governed keys (a view of stored values).</param>
    /// <param name="validation">Fields take <c>validation</c> rules only (a stream view's event columns, judged at ingest).</param>
    internal List<Field> ParseSchema(YamlMappingNode map, string name, string label, bool governed = false, bool validation = false)
    {
        var governedKeys = new GovernedKeysParser(yaml);
        var schema = new List<Field>();
        if (YamlReader.Get(map, "schema") is not { } schemaNode || yaml.Sequence(schemaNode, $"'schema' of {label}") is not { } fields)
        {
            return schema;
        }

        foreach (var fieldNode in fields.Children)
        {
            if (yaml.Mapping(fieldNode, $"each field in the schema of {label}") is not { } fieldMap)
            {
                continue;
            }

            var fieldName = yaml.RequiredString(fieldMap, "name", $"a field of {label}");
            var fieldLabel = $"field '{fieldName}' of {label}";
            if (governed)
            {
                yaml.CheckKeys(fieldMap, fieldLabel, ["name", "dtype", "description", "tags", .. GovernedKeysParser.FieldKeys]);
            }
            else if (validation)
            {
                yaml.CheckKeys(fieldMap, fieldLabel, "name", "dtype", "description", "tags", "validation");
            }
            else
            {
                yaml.CheckKeys(fieldMap, fieldLabel, "name", "dtype", "description", "tags");
            }

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
                var field = new Field(fieldName, t)
                {
                    Description = yaml.OptionalString(fieldMap, "description", fieldLabel) ?? "",
                    Tags = yaml.StringMap(fieldMap, "tags", fieldLabel),
                };
                schema.Add(governed ? governedKeys.Apply(field, fieldMap, fieldLabel) : validation ? governedKeys.ApplyValidation(field, fieldMap, fieldLabel) : field);
            }
        }

        return schema;
    }

    internal FeatureType? ParseType(YamlMappingNode map, string key, string label, bool required)
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

    /// <summary>
    /// Records the line of every key and list item, at any depth, under the path validation names it by
    /// (<c>ttl</c>, <c>schema[2].dtype</c>, <c>aggregations[0].windows[2]</c>).
    /// </summary>
    private void RecordFieldLocations(Definition definition, YamlMappingNode map) => RecordLocations(definition, "", map);

    private void RecordLocations(Definition definition, string prefix, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } key })
                    {
                        var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                        locations.Record(definition, path, yaml.At(v));
                        RecordLocations(definition, path, v);
                    }
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var path = $"{prefix}[{i}]";
                    locations.Record(definition, path, yaml.At(seq.Children[i]));
                    RecordLocations(definition, path, seq.Children[i]);
                }

                break;
        }
    }

    internal static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
