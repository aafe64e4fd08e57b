using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Model;
using Granary.Quality.Expressions;
using Granary.Registry.Loading;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks each field's validation rules against the view's schema, at the rule's file and line: a rule on a column of a
/// type it cannot test (<c>range</c> on a string, <c>regex</c> on a number), <c>enum</c> values of the wrong type, and
/// an <c>expression</c> that does not parse or type-check (with the column of the expression where it goes wrong).
/// </summary>
internal sealed class ValidationRuleChecker(DefinitionLocations locations, DiagnosticBag diagnostics)
{
    public void Check(FeatureView view, IReadOnlyDictionary<string, Entity> joinKeys)
    {
        var columns = ColumnsOf(view, joinKeys);
        for (var i = 0; i < view.Schema.Count; i++)
        {
            var field = view.Schema[i];
            for (var j = 0; j < field.Validation.Count; j++)
            {
                var rule = field.Validation[j];
                var path = $"schema[{i}].validation[{j}]";
                var where = $"rule '{rule.Rule}' of field '{field.Name}' of feature view '{view.Name}'";
                if (Problem(rule, field, columns, where) is { } problem)
                {
                    var at = rule.Rule == "expression" ? $"{path}.expr" : path;
                    diagnostics.Add(ErrorCodes.InvalidDefinition, problem, locations.Of(view, at) ?? locations.Of(view, path));
                }
            }
        }
    }

    /// <summary>The columns an expression may read: the schema's fields and the view's join keys.</summary>
    internal static Dictionary<string, FeatureType> ColumnsOf(FeatureView view, IReadOnlyDictionary<string, Entity> joinKeys)
    {
        var columns = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        foreach (var (key, entity) in joinKeys)
        {
            columns[key] = entity.ValueType;
        }

        foreach (var field in view.Schema)
        {
            columns.TryAdd(field.Name, field.Type);
        }

        return columns;
    }

    private static string? Problem(FieldValidationRule rule, Field field, Dictionary<string, FeatureType> columns, string where)
    {
        var type = field.Type;
        var numeric = !type.IsList && type.Kind is ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.Float32 or ScalarKind.Float64;
        var integer = !type.IsList && type.Kind is ScalarKind.Int32 or ScalarKind.Int64;
        var text = !type.IsList && type.Kind == ScalarKind.String;
        switch (rule.Rule)
        {
            case "range" when !numeric:
                return $"The {where} needs a number column, but '{field.Name}' is {type}.";
            case "regex" when !text:
                return $"The {where} needs a string column, but '{field.Name}' is {type}.";
            case "enum" when !text && !integer:
                return $"The {where} needs a string or integer column, but '{field.Name}' is {type}.";
            case "enum":
                foreach (var value in rule.Parameters["values"].EnumerateArray())
                {
                    var fits = text ? value.ValueKind == JsonValueKind.String : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _);
                    if (!fits)
                    {
                        return $"The {where} lists {value.GetRawText()}, which is not a{(text ? " string" : "n integer")} like the column '{field.Name}' ({type}).";
                    }
                }

                return null;
            case "expression":
                try
                {
                    _ = BoundExpression.BindCondition(rule.Parameters["expr"].GetString()!, columns);
                    return null;
                }
                catch (ExpressionException e)
                {
                    return $"The expression of {where} is wrong at column {e.Column}: {e.Problem}.";
                }

            default:
                return null;
        }
    }
}
