using System.Text.Json;
using Granary.Core.Errors;
using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads the governed keys a schema field may carry: <c>owner</c>, <c>feature_type</c>, <c>transformation</c>
/// (<c>{transformation_type, code, parameters}</c>), <c>validation</c> (a list of rules, see
/// <see cref="ValidationRuleKinds"/>) and <c>upstream_features</c>; and a view's <c>feature_type</c>. A wrong value
/// is reported at its line and left out.
/// </summary>
internal sealed class GovernedKeysParser(YamlReader yaml)
{
    /// <summary>The governed keys of a schema field, besides <c>name</c>, <c>dtype</c>, <c>description</c> and <c>tags</c>.</summary>
    public static readonly string[] FieldKeys = ["owner", "feature_type", "transformation", "validation", "upstream_features"];

    private static readonly string[] TransformationKeys = ["transformation_type", "code", "parameters"];

    public Field Apply(Field field, YamlMappingNode map, string label) => field with
    {
        Owner = yaml.OptionalString(map, "owner", label) ?? "",
        Category = Category(map, label),
        Transformation = Transformation(map, label),
        Validation = Validation(map, label),
        UpstreamFeatures = Upstream(map, label),
    };

    /// <summary>The <c>feature_type</c> of a field or view; null when absent or reported as unknown.</summary>
    public string? Category(YamlMappingNode map, string label)
    {
        if (yaml.OptionalString(map, "feature_type", label) is not { } text)
        {
            return null;
        }

        if (FeatureCategories.IsKnown(text))
        {
            return text;
        }

        var suggestion = Suggestions.Closest(text, [.. FeatureCategories.All]);
        var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
        yaml.Error(YamlReader.Get(map, "feature_type")!, $"Unknown feature_type '{text}' for {label}{hint}; expected one of: {string.Join(", ", FeatureCategories.All)}.");
        return null;
    }

    private FieldTransformation? Transformation(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "transformation") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        var what = $"the transformation of {label}";
        if (yaml.Mapping(node, $"'transformation' of {label}") is not { } t)
        {
            return null;
        }

        yaml.CheckKeys(t, what, TransformationKeys);
        var type = yaml.RequiredString(t, "transformation_type", what);
        var code = yaml.OptionalString(t, "code", what) ?? "";
        var parameters = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (YamlReader.Get(t, "parameters") is { } p && p is not YamlScalarNode { Value: null or "" }
            && yaml.Mapping(p, $"'parameters' of {what}") is { } pmap)
        {
            foreach (var (k, v) in pmap.Children)
            {
                if (yaml.ScalarOrNull(k, $"a key of 'parameters' in {what}") is { } key)
                {
                    parameters[key] = YamlJson.ToJson(v);
                }
            }
        }

        return type is null ? null : new FieldTransformation(type, code) { Parameters = parameters };
    }

    private List<FieldValidationRule> Validation(YamlMappingNode map, string label)
    {
        var rules = new List<FieldValidationRule>();
        if (YamlReader.Get(map, "validation") is not { } node || node is YamlScalarNode { Value: null or "" }
            || yaml.Sequence(node, $"'validation' of {label}") is not { } items)
        {
            return rules;
        }

        for (var i = 0; i < items.Children.Count; i++)
        {
            var where = $"validation[{i}] of {label}";
            if (yaml.Mapping(items.Children[i], $"{where} (such as {{rule: not_null}})") is not { } item)
            {
                continue;
            }

            if (yaml.RequiredString(item, "rule", where) is not { } kind)
            {
                continue;
            }

            if (!ValidationRuleKinds.IsKnown(kind))
            {
                var suggestion = Suggestions.Closest(kind, [.. ValidationRuleKinds.All]);
                var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
                yaml.Error(YamlReader.Get(item, "rule")!, $"Unknown rule '{kind}' in {where}{hint}; expected one of: {string.Join(", ", ValidationRuleKinds.All)}.");
                continue;
            }

            var keys = ValidationRuleKinds.KeysOf(kind);
            yaml.CheckKeys(item, $"{where} (rule '{kind}')", ["rule", "severity", .. keys]);
            var severity = ValidationSeverity.Error;
            if (yaml.OptionalString(item, "severity", where) is { } text && !ValidationRuleKinds.TryParseSeverity(text, out severity))
            {
                yaml.Error(YamlReader.Get(item, "severity")!, $"Unknown severity '{text}' in {where}; expected error or warn.");
                continue;
            }

            var parameters = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (k, v) in item.Children)
            {
                if (k is YamlScalarNode { Value: { } key } && key is not "rule" and not "severity" && keys.Contains(key))
                {
                    parameters[key] = YamlJson.ToJson(v);
                }
            }

            var rule = new FieldValidationRule(kind, severity) { Parameters = parameters };
            if (ValidationRuleKinds.Check(rule, where) is { } problem)
            {
                yaml.Error(item, problem);
                continue;
            }

            rules.Add(rule);
        }

        return rules;
    }

    private List<string> Upstream(YamlMappingNode map, string label) =>
        yaml.StringList(map, "upstream_features", label).ConvertAll(u => u.Value);
}
