using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads one item of <c>on_demand_feature_views:</c>: its sources (feature views), <c>request_schema</c> (the values a
/// request brings) and its features, each with an <c>expr</c> or a registered C# <c>function</c>. Expressions are
/// type-checked once every file is read, against the source views' schemas (<see cref="Validation.OnDemandViewChecker"/>).
/// </summary>
/// <remarks>A view with a mistake in its own text is not loaded, so its features are not reported again as unknown.</remarks>
internal sealed class OnDemandFeatureViewParser(YamlReader yaml, DefinitionFileParser definitions)
{
    private static readonly string[] Keys = [.. DefinitionFileParser.MetadataKeys, "sources", "request_schema", "features", "write_to_online_store"];

    private static readonly string[] FeatureKeys = ["name", "dtype", "expr", "function", "description"];

    public OnDemandFeatureView? Parse(YamlMappingNode map, string label)
    {
        var mistakes = yaml.Diagnostics.Items.Count;
        yaml.CheckKeys(map, label, Keys);
        var name = yaml.RequiredString(map, "name", label)!;
        var sources = yaml.StringList(map, "sources", label).ConvertAll(s => s.Value);
        var view = new OnDemandFeatureView
        {
            Name = name,
            Sources = sources,
            RequestSchema = ParseRequestSchema(map, label),
            Features = ParseFeatures(map, label),
            WriteToOnlineStore = yaml.OptionalBool(map, "write_to_online_store", label) ?? false,
        };
        if (view.Features.Count == 0 && yaml.Diagnostics.Items.Count == mistakes)
        {
            yaml.Error(map, $"{DefinitionFileParser.Capitalize(label)} needs 'features', such as [{{name: ratio, dtype: float64, expr: \"amount / 2\"}}].");
        }

        return yaml.Diagnostics.Items.Count == mistakes ? view : null;
    }

    private List<Field> ParseRequestSchema(YamlMappingNode map, string label)
    {
        var fields = new List<Field>();
        if (YamlReader.Get(map, "request_schema") is not { } node || node is YamlScalarNode { Value: null or "" }
            || yaml.Sequence(node, $"'request_schema' of {label}") is not { } items)
        {
            return fields;
        }

        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, $"each field in the request_schema of {label}") is not { } fieldMap)
            {
                continue;
            }

            var fieldName = yaml.RequiredString(fieldMap, "name", $"a request field of {label}");
            var fieldLabel = $"request field '{fieldName}' of {label}";
            yaml.CheckKeys(fieldMap, fieldLabel, "name", "dtype", "description");
            if (fieldName is not null && !Identifier.IsValid(fieldName))
            {
                yaml.Error(YamlReader.Get(fieldMap, "name")!, $"Invalid name for {fieldLabel}: use {Identifier.Rule}.");
            }

            if (definitions.ParseType(fieldMap, "dtype", fieldLabel, required: true) is { } type && fieldName is not null)
            {
                fields.Add(new Field(fieldName, type) { Description = yaml.OptionalString(fieldMap, "description", fieldLabel) ?? "" });
            }
        }

        return fields;
    }

    private List<OnDemandFeature> ParseFeatures(YamlMappingNode map, string label)
    {
        var features = new List<OnDemandFeature>();
        if (YamlReader.Get(map, "features") is not { } node || yaml.Sequence(node, $"'features' of {label}") is not { } items)
        {
            return features;
        }

        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, $"each feature of {label}") is not { } featureMap)
            {
                continue;
            }

            var featureName = yaml.RequiredString(featureMap, "name", $"a feature of {label}");
            var featureLabel = $"feature '{featureName}' of {label}";
            yaml.CheckKeys(featureMap, featureLabel, FeatureKeys);
            if (featureName is not null && !Identifier.IsValid(featureName))
            {
                yaml.Error(YamlReader.Get(featureMap, "name")!, $"Invalid name for {featureLabel}: use {Identifier.Rule}.");
            }

            var type = definitions.ParseType(featureMap, "dtype", featureLabel, required: true);
            var expression = yaml.OptionalString(featureMap, "expr", featureLabel);
            var function = yaml.OptionalString(featureMap, "function", featureLabel);
            if ((expression is null) == (function is null))
            {
                yaml.Error(featureMap, $"{DefinitionFileParser.Capitalize(featureLabel)} needs exactly one of 'expr' (an expression) and 'function' (a registered C# function).");
                continue;
            }

            if (function is not null && !Identifier.IsValid(function) && !IsDottedName(function))
            {
                yaml.Error(YamlReader.Get(featureMap, "function")!, $"Invalid function name '{function}' for {featureLabel}: use the name it is registered under (letters, digits, '_' and '.').");
            }

            if (featureName is not null && type is { } t)
            {
                features.Add(new OnDemandFeature(featureName, t) { Expression = expression, Function = function });
            }
        }

        return features;
    }

    private static bool IsDottedName(string name)
    {
        foreach (var part in name.Split('.'))
        {
            if (!Identifier.IsValid(part))
            {
                return false;
            }
        }

        return true;
    }
}
