using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Quality.Expressions;

/// <summary>
/// Type-checks a parsed expression against a schema: resolves each column (an unknown one is named with the closest
/// known name), gives every node its type and refuses operands of the wrong type, at their column.
/// </summary>
internal sealed class ExpressionBinder(IReadOnlyDictionary<string, FeatureType> schema)
{
    private readonly List<BoundColumn> _columns = [];
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

    public BoundExpression Bind(string text, ExpressionNode root) => new(text, Visit(root), _columns);

    internal static string Describe(ExpressionValueType type) => type switch
    {
        ExpressionValueType.Int => "integer",
        ExpressionValueType.Float => "float",
        ExpressionValueType.String => "string",
        ExpressionValueType.Bool => "bool",
        _ => "null",
    };

    internal static bool IsNumeric(ExpressionValueType type) => type is ExpressionValueType.Int or ExpressionValueType.Float or ExpressionValueType.Null;

    private ExpressionNode Visit(ExpressionNode node) => node switch
    {
        LiteralNode literal => literal with { Type = TypeOf(literal.Value) },
        ColumnNode column => Column(column),
        UnaryNode unary => Unary(unary),
        BinaryNode binary => Binary(binary),
        CallNode call => Call(call),
        _ => throw new InvalidOperationException($"Unknown expression node {node.GetType().Name}."),
    };

    private static ExpressionValueType TypeOf(object? value) => value switch
    {
        long => ExpressionValueType.Int,
        double => ExpressionValueType.Float,
        string => ExpressionValueType.String,
        bool => ExpressionValueType.Bool,
        _ => ExpressionValueType.Null,
    };

    private ColumnNode Column(ColumnNode column)
    {
        if (!schema.TryGetValue(column.Name, out var featureType))
        {
            var hint = Suggestions.Closest(column.Name, schema.Keys) is { } s ? $" (did you mean '{s}'?)" : "";
            throw new ExpressionException($"Unknown column '{column.Name}'{hint}; the columns are {string.Join(", ", schema.Keys)}", column.Position);
        }

        var type = featureType switch
        {
            { IsList: true } => (ExpressionValueType?)null,
            { Kind: ScalarKind.Int32 or ScalarKind.Int64 } => ExpressionValueType.Int,
            { Kind: ScalarKind.Float32 or ScalarKind.Float64 } => ExpressionValueType.Float,
            { Kind: ScalarKind.String } => ExpressionValueType.String,
            { Kind: ScalarKind.Bool } => ExpressionValueType.Bool,
            _ => null,
        } ?? throw new ExpressionException($"Column '{column.Name}' is {featureType}; expressions read integer, float, string and bool columns", column.Position);

        if (!_ordinals.TryGetValue(column.Name, out var ordinal))
        {
            ordinal = _columns.Count;
            _ordinals[column.Name] = ordinal;
            _columns.Add(new BoundColumn(column.Name, featureType, type));
        }

        return column with { Type = type, Ordinal = ordinal };
    }

    private UnaryNode Unary(UnaryNode unary)
    {
        var operand = Visit(unary.Operand);
        if (unary.Operator == ExpressionTokenKind.Not)
        {
            RequireBool(operand, "'not'");
            return unary with { Operand = operand, Type = ExpressionValueType.Bool };
        }

        RequireNumeric(operand, "'-'");
        return unary with { Operand = operand, Type = operand.Type == ExpressionValueType.Null ? ExpressionValueType.Float : operand.Type };
    }

    private BinaryNode Binary(BinaryNode binary)
    {
        var left = Visit(binary.Left);
        var right = Visit(binary.Right);
        var type = binary.Operator switch
        {
            ExpressionTokenKind.And or ExpressionTokenKind.Or => Logical(binary.Operator, left, right),
            ExpressionTokenKind.Plus or ExpressionTokenKind.Minus or ExpressionTokenKind.Star or ExpressionTokenKind.Slash => Arithmetic(binary.Operator, left, right),
            _ => Comparison(binary, left, right),
        };
        return binary with { Left = left, Right = right, Type = type };
    }

    private static ExpressionValueType Logical(ExpressionTokenKind op, ExpressionNode left, ExpressionNode right)
    {
        var name = op == ExpressionTokenKind.And ? "'and'" : "'or'";
        RequireBool(left, name);
        RequireBool(right, name);
        return ExpressionValueType.Bool;
    }

    private static ExpressionValueType Arithmetic(ExpressionTokenKind op, ExpressionNode left, ExpressionNode right)
    {
        var name = $"'{Symbol(op)}'";
        RequireNumeric(left, name);
        RequireNumeric(right, name);

        // Arithmetic is float64, in C# and in both engines: no integer overflow or integer division to disagree on.
        return ExpressionValueType.Float;
    }

    private static ExpressionValueType Comparison(BinaryNode binary, ExpressionNode left, ExpressionNode right)
    {
        var op = $"'{Symbol(binary.Operator)}'";
        var comparable = (left.Type, right.Type) switch
        {
            (ExpressionValueType.Null, _) or (_, ExpressionValueType.Null) => true,
            _ when IsNumeric(left.Type) && IsNumeric(right.Type) => true,
            (ExpressionValueType.String, ExpressionValueType.String) => true,
            (ExpressionValueType.Bool, ExpressionValueType.Bool) => binary.Operator is ExpressionTokenKind.Equal or ExpressionTokenKind.NotEqual,
            _ => false,
        };
        if (!comparable)
        {
            var why = left.Type == ExpressionValueType.Bool && right.Type == ExpressionValueType.Bool
                ? "bools compare only with = and !="
                : $"it compares a {Describe(left.Type)} with a {Describe(right.Type)}";
            throw new ExpressionException($"{op} cannot be used here: {why}", binary.Position);
        }

        return ExpressionValueType.Bool;
    }

    private CallNode Call(CallNode call)
    {
        var arguments = new List<ExpressionNode>(call.Arguments.Count);
        foreach (var argument in call.Arguments)
        {
            arguments.Add(Visit(argument));
        }

        var what = $"{call.Function}()";
        ExpressionValueType type;
        switch (call.Function)
        {
            case ExpressionFunctions.Abs:
                RequireNumeric(arguments[0], what);
                type = arguments[0].Type == ExpressionValueType.Int ? ExpressionValueType.Int : ExpressionValueType.Float;
                break;
            case ExpressionFunctions.Ln or ExpressionFunctions.Log1p:
                RequireNumeric(arguments[0], what);
                type = ExpressionValueType.Float;
                break;
            case ExpressionFunctions.IsNull:
                type = ExpressionValueType.Bool;
                break;
            case ExpressionFunctions.Length:
                RequireString(arguments[0], what);
                type = ExpressionValueType.Int;
                break;
            case ExpressionFunctions.Lower:
                RequireString(arguments[0], what);
                type = ExpressionValueType.String;
                break;
            default:
                type = Unify(arguments, call);
                break;
        }

        return call with { Arguments = arguments, Type = type };
    }

    /// <summary>
    /// The common type of coalesce's arguments: integers and floats give a float; null fits anything (a coalesce of
    /// nulls only is null, of type null).
    /// </summary>
    private static ExpressionValueType Unify(List<ExpressionNode> arguments, CallNode call)
    {
        var type = ExpressionValueType.Null;
        foreach (var argument in arguments)
        {
            if (argument.Type == ExpressionValueType.Null || argument.Type == type)
            {
                continue;
            }

            if (type == ExpressionValueType.Null)
            {
                type = argument.Type;
            }
            else if (IsNumeric(type) && IsNumeric(argument.Type))
            {
                type = ExpressionValueType.Float;
            }
            else
            {
                throw new ExpressionException($"coalesce() mixes a {Describe(type)} with a {Describe(argument.Type)}; its arguments must have one type", argument.Position);
            }
        }

        return type;
    }

    private static void RequireBool(ExpressionNode node, string what)
    {
        if (node.Type is not ExpressionValueType.Bool and not ExpressionValueType.Null)
        {
            throw new ExpressionException($"{what} needs a condition, but this is a {Describe(node.Type)}", node.Position);
        }
    }

    private static void RequireNumeric(ExpressionNode node, string what)
    {
        if (!IsNumeric(node.Type))
        {
            throw new ExpressionException($"{what} needs a number, but this is a {Describe(node.Type)}", node.Position);
        }
    }

    private static void RequireString(ExpressionNode node, string what)
    {
        if (node.Type is not ExpressionValueType.String and not ExpressionValueType.Null)
        {
            throw new ExpressionException($"{what} needs a string, but this is a {Describe(node.Type)}", node.Position);
        }
    }

    internal static string Symbol(ExpressionTokenKind op) => op switch
    {
        ExpressionTokenKind.Plus => "+",
        ExpressionTokenKind.Minus => "-",
        ExpressionTokenKind.Star => "*",
        ExpressionTokenKind.Slash => "/",
        ExpressionTokenKind.Equal => "=",
        ExpressionTokenKind.NotEqual => "!=",
        ExpressionTokenKind.Less => "<",
        ExpressionTokenKind.LessOrEqual => "<=",
        ExpressionTokenKind.Greater => ">",
        ExpressionTokenKind.GreaterOrEqual => ">=",
        ExpressionTokenKind.And => "and",
        ExpressionTokenKind.Or => "or",
        _ => "not",
    };
}
