using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Quality.Expressions;

namespace Granary.Quality.Rules;

/// <summary>
/// The validation rules of a view's fields, prepared for evaluation: parameters read and expressions bound against the
/// view's columns (its schema fields and join keys), as <c>plan</c> checks them.
/// </summary>
internal static class ViewRules
{
    /// <summary>
    /// The rules of <paramref name="features"/> (fields of <paramref name="view"/>), in their order and each field's
    /// declaration order. A rule <c>plan</c> would refuse is an <see cref="ErrorCodes.InvalidDefinition"/> naming it.
    /// </summary>
    /// <param name="view">The view.</param>
    /// <param name="features">The fields whose rules are wanted.</param>
    /// <param name="columns">What an expression may read: the schema's fields and the join keys, with their types.</param>
    public static List<ViewRule> For(FeatureView view, IReadOnlyList<string> features, IReadOnlyDictionary<string, FeatureType> columns)
    {
        ArgumentNullException.ThrowIfNull(view);
        var rules = new List<ViewRule>();
        foreach (var name in features)
        {
            var field = view.Schema.FirstOrDefault(f => f.Name == name)
                ?? throw new GranaryException(ErrorCodes.UnknownReference, $"Feature view '{view.Name}' has no feature '{name}' to validate.");
            for (var i = 0; i < field.Validation.Count; i++)
            {
                rules.Add(Prepare(view, field, field.Validation[i], i, columns));
            }
        }

        return rules;
    }

    /// <summary>The columns an expression of <paramref name="view"/> reads: its join keys (typed by their entities) and schema fields.</summary>
    public static Dictionary<string, FeatureType> Columns(FeatureView view, IReadOnlyList<string> joinKeys, IReadOnlyList<FeatureType> keyTypes)
    {
        ArgumentNullException.ThrowIfNull(view);
        var columns = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        for (var i = 0; i < joinKeys.Count; i++)
        {
            columns[joinKeys[i]] = keyTypes[i];
        }

        foreach (var field in view.Schema)
        {
            columns.TryAdd(field.Name, field.Type);
        }

        return columns;
    }

    private static ViewRule Prepare(FeatureView view, Field field, FieldValidationRule rule, int index, IReadOnlyDictionary<string, FeatureType> columns)
    {
        var where = $"validation[{index}] of field '{field.Name}' of feature view '{view.Name}'";
        if (ValidationRuleKinds.Check(rule, where) is { } problem)
        {
            throw Invalid(problem);
        }

        var type = field.Type;
        var numeric = !type.IsList && type.Kind is ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.Float32 or ScalarKind.Float64;
        var integer = !type.IsList && type.Kind is ScalarKind.Int32 or ScalarKind.Int64;
        var text = !type.IsList && type.Kind == ScalarKind.String;
        var prepared = new ViewRule(field.Name, type, rule.Rule, rule.Severity);
        var parameters = rule.Parameters;
        switch (rule.Rule)
        {
            case RuleKinds.Range when !numeric:
                throw Invalid($"Rule 'range' in {where} needs a number column, but '{field.Name}' is {type}.");
            case RuleKinds.Range:
                return prepared with
                {
                    Min = parameters.TryGetValue("min", out var min) ? min.GetDouble() : null,
                    Max = parameters.TryGetValue("max", out var max) ? max.GetDouble() : null,
                };
            case RuleKinds.Regex when !text:
                throw Invalid($"Rule 'regex' in {where} needs a string column, but '{field.Name}' is {type}.");
            case RuleKinds.Regex:
                return prepared with { Pattern = parameters["pattern"].GetString() };
            case RuleKinds.Enum when text:
                return prepared with { Strings = [.. parameters["values"].EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Invalid($"Rule 'enum' in {where} lists {v.GetRawText()}, which is not a string like the column '{field.Name}'."))] };
            case RuleKinds.Enum when integer:
                return prepared with { Integers = [.. parameters["values"].EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Invalid($"Rule 'enum' in {where} lists {v.GetRawText()}, which is not an integer like the column '{field.Name}'."))] };
            case RuleKinds.Enum:
                throw Invalid($"Rule 'enum' in {where} needs a string or integer column, but '{field.Name}' is {type}.");
            case RuleKinds.MaxNullFraction:
                return prepared with { Fraction = parameters["value"].GetDouble() };
            case RuleKinds.Expression:
                try
                {
                    return prepared with { Expression = BoundExpression.BindCondition(parameters["expr"].GetString()!, columns) };
                }
                catch (ExpressionException e)
                {
                    throw Invalid($"The expression of {where} is wrong at column {e.Column}: {e.Problem}.");
                }

            default:
                return prepared;
        }
    }

    private static GranaryException Invalid(string message) => new(ErrorCodes.InvalidDefinition, message);
}
