using System.Text.Json;
using System.Text.RegularExpressions;

namespace Granary.Core.Model;

/// <summary>
/// The validation rule kinds a schema field may declare and the keys each takes (besides <c>rule</c> and
/// <c>severity</c>): <c>range</c> (<c>min</c>, <c>max</c>), <c>not_null</c>, <c>enum</c> (<c>values</c>),
/// <c>regex</c> (<c>pattern</c>), <c>max_null_fraction</c> (<c>value</c>), <c>unique</c> and
/// <c>expression</c> (<c>expr</c>). The YAML loader and the C# builder both check rules here, so both refuse the same
/// mistakes with the same words.
/// </summary>
public static class ValidationRuleKinds
{
    private static readonly Dictionary<string, string[]> KeysByKind = new(StringComparer.Ordinal)
    {
        ["range"] = ["min", "max"],
        ["not_null"] = [],
        ["enum"] = ["values"],
        ["regex"] = ["pattern"],
        ["max_null_fraction"] = ["value"],
        ["unique"] = [],
        ["expression"] = ["expr"],
    };

    /// <summary>Every kind, in the order documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = ["range", "not_null", "enum", "regex", "max_null_fraction", "unique", "expression"];

    public static bool IsKnown(string? kind) => kind is not null && KeysByKind.ContainsKey(kind);

    /// <summary>The parameter keys <paramref name="kind"/> takes; empty for an unknown kind.</summary>
    public static IReadOnlyList<string> KeysOf(string kind) => KeysByKind.TryGetValue(kind, out var keys) ? keys : [];

    /// <summary>The spelling of a severity in YAML and JSON: <c>error</c> or <c>warn</c>.</summary>
    public static string Key(this ValidationSeverity severity) => severity == ValidationSeverity.Warn ? "warn" : "error";

    public static bool TryParseSeverity(string? text, out ValidationSeverity severity)
    {
        switch (text)
        {
            case "error": severity = ValidationSeverity.Error; return true;
            case "warn" or "warning": severity = ValidationSeverity.Warn; return true;
            default: severity = ValidationSeverity.Error; return false;
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="rule"/>, in words that name <paramref name="where"/> (for example
    /// <c>validation[0] of field 'ctr' of feature view 'ads'</c>); null when it is a valid rule. Checks the kind,
    /// that every parameter belongs to it, that the required ones are there and that values have the right type.
    /// </summary>
    public static string? Check(FieldValidationRule rule, string where)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!KeysByKind.TryGetValue(rule.Rule, out var keys))
        {
            return $"Unknown rule '{rule.Rule}' in {where}; expected one of: {string.Join(", ", All)}.";
        }

        foreach (var key in rule.Parameters.Keys)
        {
            if (Array.IndexOf(keys, key) < 0)
            {
                var expected = keys.Length == 0 ? $"rule '{rule.Rule}' takes no keys besides 'severity'" : $"rule '{rule.Rule}' takes {string.Join(", ", keys)} and severity";
                return $"Unknown key '{key}' in {where}; {expected}.";
            }
        }

        return rule.Rule switch
        {
            "range" => CheckRange(rule, where),
            "enum" => rule.Parameters.TryGetValue("values", out var values)
                ? values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 ? null : $"'values' of {where} must be a non-empty list, such as [a, b]."
                : $"Rule 'enum' in {where} needs 'values', such as [a, b].",
            "regex" => CheckPattern(rule, where),
            "max_null_fraction" => rule.Parameters.TryGetValue("value", out var fraction)
                ? fraction.ValueKind == JsonValueKind.Number && fraction.GetDouble() is >= 0 and <= 1 ? null : $"'value' of {where} must be a fraction between 0 and 1, such as 0.05."
                : $"Rule 'max_null_fraction' in {where} needs 'value', a fraction between 0 and 1 such as 0.05.",
            "expression" => rule.Parameters.TryGetValue("expr", out var expr)
                ? expr.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(expr.GetString()) ? null : $"'expr' of {where} must be an expression such as \"clicks <= impressions\"."
                : $"Rule 'expression' in {where} needs 'expr', such as \"clicks <= impressions\".",
            _ => null,
        };
    }

    private static string? CheckRange(FieldValidationRule rule, string where)
    {
        var hasMin = rule.Parameters.TryGetValue("min", out var min);
        var hasMax = rule.Parameters.TryGetValue("max", out var max);
        if (!hasMin && !hasMax)
        {
            return $"Rule 'range' in {where} needs 'min', 'max' or both.";
        }

        if (hasMin && min.ValueKind != JsonValueKind.Number)
        {
            return $"'min' of {where} must be a number.";
        }

        if (hasMax && max.ValueKind != JsonValueKind.Number)
        {
            return $"'max' of {where} must be a number.";
        }

        return hasMin && hasMax && min.GetDouble() > max.GetDouble() ? $"'min' of {where} is greater than its 'max'." : null;
    }

    private static string? CheckPattern(FieldValidationRule rule, string where)
    {
        if (!rule.Parameters.TryGetValue("pattern", out var pattern))
        {
            return $"Rule 'regex' in {where} needs 'pattern', such as \"^[A-Z]{{2}}$\".";
        }

        if (pattern.ValueKind != JsonValueKind.String)
        {
            return $"'pattern' of {where} must be a regular expression in quotes.";
        }

        try
        {
            _ = new Regex(pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'pattern' of {where} is not a valid regular expression: {e.Message}";
        }
    }
}
