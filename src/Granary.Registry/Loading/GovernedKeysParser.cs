using System.Text.Json;
using Granary.Core.Errors;
using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads the governed keys a schema field may carry: <c>owner</c>, <c>feature_type</c>, <c>transformation</c>
/// (<c>{transformation_type, code, parameters}</c>), <c>validation</c> (a list of rules, see
/// <see cref="ValidationRuleKinds"/>), <c>upstream_features</c> and <c>drift</c> (<c>{p_value: [low, medium, high],
/// shift: [low, medium, high]}</c>, see <see cref="DriftThresholds"/>); and a view's <c>feature_type</c>. A wrong value
/// is reported at its line and left out.
/// </summary>
internal sealed class GovernedKeysParser(YamlReader yaml)
{
    /// <summary>The governed keys of a schema field, besides <c>name</c>, <c>dtype</c>, <c>description</c> and <c>tags</c>.</summary>
    public static readonly string[] FieldKeys = ["owner", "feature_type", "transformation", "validation", "upstream_features", "drift"];

    private static readonly string[] TransformationKeys = ["transformation_type", "code", "parameters"];

    private static readonly string[] DriftKeys = ["p_value", "shift"];

    /// <summary>Only the field's <c>validation</c> rules: what a stream feature view's event columns may declare.</summary>
    public Field ApplyValidation(Field field, YamlMappingNode map, string label) => field with { Validation = Validation(map, label) };

    public Field Apply(Field field, YamlMappingNode map, string label) => field with
    {
        Owner = yaml.OptionalString(map, "owner", label) ?? "",
        Category = Category(map, label),
        Transformation = Transformation(map, label),
        Validation = Validation(map, label),
        UpstreamFeatures = Upstream(map, label),
        Drift = Drift(map, label),
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

    /// <summary>The field's <c>drift</c> thresholds; a key left out keeps its default levels.</summary>
    private DriftThresholds? Drift(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "drift") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        var what = $"'drift' of {label}";
        if (yaml.Mapping(node, $"{what} (such as {{p_value: [0.05, 0.01, 0.001], shift: [0.1, 0.2, 0.5]}})") is not { } drift)
        {
            return null;
        }

        yaml.CheckKeys(drift, what, DriftKeys);
        var defaults = DriftThresholds.Default;
        var pValues = Levels(drift, "p_value", what, defaults.PValues, isPValue: true);
        var shifts = Levels(drift, "shift", what, defaults.Shifts, isPValue: false);
        return pValues is { } p && shifts is { } s ? new DriftThresholds(p, s) : null;
    }

    /// <summary>
    /// Three thresholds for low, medium and high: p-values in (0, 1) that decrease, or shifts above 0 that increase,
    /// so that a higher severity always asks for stronger evidence.
    /// </summary>
    private DriftLevels? Levels(YamlMappingNode drift, string key, string what, DriftLevels defaults, bool isPValue)
    {
        if (YamlReader.Get(drift, key) is not { } node)
        {
            return defaults;
        }

        var where = $"'{key}' of {what}";
        var example = isPValue ? "[0.05, 0.01, 0.001]" : "[0.1, 0.2, 0.5]";
        if (yaml.Sequence(node, $"{where} (three thresholds for low, medium and high, such as {example})") is not { } items)
        {
            return null;
        }

        if (items.Children.Count != 3)
        {
            yaml.Error(items, $"{where} needs three thresholds, for low, medium and high (such as {example}); found {items.Children.Count}.");
            return null;
        }

        var levels = new double[3];
        for (var i = 0; i < 3; i++)
        {
            var item = items.Children[i];
            if (item is not YamlScalarNode { Value: { } text }
                || !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out levels[i])
                || !double.IsFinite(levels[i]))
            {
                yaml.Error(item, $"Threshold {i + 1} of {where} must be a number (such as {example}).");
                return null;
            }

            if (isPValue ? levels[i] is <= 0 or >= 1 : levels[i] <= 0)
            {
                yaml.Error(item, $"Threshold {i + 1} of {where} must be {(isPValue ? "a p-value between 0 and 1" : "above 0")}; found {text}.");
                return null;
            }
        }

        bool ordered = isPValue ? levels[0] > levels[1] && levels[1] > levels[2] : levels[0] < levels[1] && levels[1] < levels[2];
        if (!ordered)
        {
            yaml.Error(items, $"The thresholds of {where} must {(isPValue ? "decrease" : "increase")} from low to medium to high (such as {example}).");
            return null;
        }

        return new DriftLevels(levels[0], levels[1], levels[2]);
    }
}
