using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads the <c>derived_feature_views:</c> list: <c>{name, entities, query, query_postgres, ttl, schema, online,
/// feature_type, freshness}</c>. A derived view is stored as a feature view without a source, its rows coming from
/// <see cref="FeatureView.Derived"/>; its references are checked once every file is read (<c>DerivedViewChecker</c>).
/// </summary>
internal sealed class DerivedFeatureViewParser(YamlReader yaml, DefinitionFileParser definitions)
{
    private static readonly string[] Keys = [.. DefinitionFileParser.MetadataKeys, "entities", "schema", "ttl", "query", "query_postgres", "online", "feature_type", "freshness"];

    public FeatureView? Parse(YamlMappingNode map, string label)
    {
        yaml.CheckKeys(map, label, Keys);
        var name = yaml.RequiredString(map, "name", label)!;
        if (YamlReader.Get(map, "source") is { } source)
        {
            yaml.Error(source, $"{DefinitionFileParser.Capitalize(label)} reads what its 'query' names as {{{{ name }}}}; remove 'source'.");
        }

        var query = yaml.RequiredString(map, "query", label);
        if (query is not null && string.IsNullOrWhiteSpace(query))
        {
            yaml.Error(YamlReader.Get(map, "query")!, $"{DefinitionFileParser.Capitalize(label)} has an empty 'query'.");
        }

        var queryPostgres = yaml.OptionalString(map, "query_postgres", label);
        var ttl = definitions.ParseDuration(map, "ttl", label) ?? TimeSpan.Zero;
        var schema = definitions.ParseSchema(map, name, label, governed: true);
        if (YamlReader.Get(map, "schema") is null)
        {
            yaml.Error(map, $"{DefinitionFileParser.Capitalize(label)} needs a 'schema' listing the features its query returns ({{name, dtype}}).");
        }

        if (query is null)
        {
            return null;
        }

        return new FeatureView
        {
            Name = name,
            Entities = yaml.StringList(map, "entities", label).ConvertAll(e => e.Value),
            Schema = schema,
            Ttl = ttl,
            Source = "",
            Derived = new DerivedQuery { Query = query, QueryPostgres = queryPostgres },
            Online = yaml.OptionalBool(map, "online", label) ?? true,
            Category = new GovernedKeysParser(yaml).Category(map, label),
            Freshness = new FreshnessParser(yaml).Parse(map, label),
        };
    }
}
