using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Quality.Expressions;

/// <summary>
/// Type-checks a parsed expression against a schema: resolves each column (an unknown one is named with the closest
/// known name), gives every node its type and refuses operands of the wrong type, at their column.
/// </summary>
internal sealed class ExpressionBinder(IReadOnlyDictionary<string, FeatureType> schema, bool onDemand = false, IReadOnlyDictionary<string, ExpressionStatistics>? statistics = null)
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
        ExpressionValueType.FloatList => "list of floats",
        ExpressionValueType.IntList => "list of integers",
        ExpressionValueType.Timestamp => "timestamp",
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
        ListNode list => throw new ExpressionException("A [list] is only an argument of bucketize(x, [boundaries]) or one_hot(x, [values])", list.Position),
        _ => throw new InvalidOperationException($"Unknown expression node {node.GetType().Name}."),
    };

    /// <summary>
    /// The value of a number written as a literal, possibly negated (<c>-1.5</c>); null when the node is not one.
    /// bucketize's boundaries and hash_bucket's count are such constants, fixed when the expression is compiled.
    /// </summary>
    internal static double? ConstantNumber(ExpressionNode node) => node switch
    {
        LiteralNode { Value: long l } => l,
        LiteralNode { Value: double d } => d,
        UnaryNode { Operator: ExpressionTokenKind.Minus } unary when ConstantNumber(unary.Operand) is { } v => -v,
        _ => null,
    };

    /// <summary>bucketize's boundaries, as the binder checked them: numbers, at least one, strictly ascending.</summary>
    internal static double[] Boundaries(ListNode list)
    {
        var boundaries = new double[list.Items.Count];
        for (var i = 0; i < boundaries.Length; i++)
        {
            boundaries[i] = ConstantNumber(list.Items[i])
                ?? throw new ExpressionException("bucketize()'s boundaries must be numbers written out, such as [0, 10, 100]", list.Items[i].Position);
            if (i > 0 && !(boundaries[i] > boundaries[i - 1]))
            {
                throw new ExpressionException($"bucketize()'s boundaries must ascend strictly, but {Format(boundaries[i])} follows {Format(boundaries[i - 1])}", list.Items[i].Position);
            }
        }

        if (boundaries.Length == 0)
        {
            throw new ExpressionException("bucketize() needs at least one boundary, as in [0, 10, 100]", list.Position);
        }

        return boundaries;
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

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
            { IsList: true, Kind: ScalarKind.Float32 or ScalarKind.Float64 } when onDemand => ExpressionValueType.FloatList,
            { IsList: false, Kind: ScalarKind.UnixTimestamp } when onDemand => ExpressionValueType.Timestamp,
            { IsList: true } => (ExpressionValueType?)null,
            { Kind: ScalarKind.Int32 or ScalarKind.Int64 } => ExpressionValueType.Int,
            { Kind: ScalarKind.Float32 or ScalarKind.Float64 } => ExpressionValueType.Float,
            { Kind: ScalarKind.String } => ExpressionValueType.String,
            { Kind: ScalarKind.Bool } => ExpressionValueType.Bool,
            _ => null,
        } ?? throw new ExpressionException(
            onDemand
                ? $"Column '{column.Name}' is {featureType}; expressions read integer, float, string, bool and unix_timestamp columns and lists of float32 or float64"
                : $"Column '{column.Name}' is {featureType}; expressions read integer, float, string and bool columns",
            column.Position);

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
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var argument = call.Arguments[i];
            if (ExpressionFunctions.TakesLiteralList(call.Function) && i == 1)
            {
                arguments.Add(LiteralList(call.Function, argument));
                continue;
            }

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
            case ExpressionFunctions.Clip:
                RequireNumeric(arguments[0], what);
                RequireNumeric(arguments[1], what);
                RequireNumeric(arguments[2], what);
                type = arguments.TrueForAll(a => a.Type is ExpressionValueType.Int or ExpressionValueType.Null) && arguments[0].Type == ExpressionValueType.Int
                    ? ExpressionValueType.Int
                    : ExpressionValueType.Float;
                break;
            case ExpressionFunctions.Bucketize:
                RequireNumeric(arguments[0], what);
                type = ExpressionValueType.Int;
                break;
            case ExpressionFunctions.OneHot:
                type = OneHotType(arguments);
                break;
            case ExpressionFunctions.Dot or ExpressionFunctions.Cosine:
                RequireVector(call, arguments[0], what);
                RequireVector(call, arguments[1], what);
                type = ExpressionValueType.Float;
                break;
            case ExpressionFunctions.L2Norm:
                RequireVector(call, arguments[0], what);
                type = ExpressionValueType.Float;
                break;
            case ExpressionFunctions.ZScore or ExpressionFunctions.MinMax:
                RequireOnDemand(call.Function, call.Position);
                if (arguments[0] is not ColumnNode { Name: var scaled } || !scaled.Contains('.', StringComparison.Ordinal))
                {
                    throw new ExpressionException($"{what} scales a source feature (view.feature) by its view's stored profile, so its argument is one, not an expression or a request field", arguments[0].Position);
                }

                RequireNumeric(arguments[0], what);
                type = ExpressionValueType.Float;
                if (statistics is not null)
                {
                    if (!statistics.TryGetValue(scaled, out var found))
                    {
                        throw new ExpressionException($"{what} has no profile statistics for '{scaled}'", arguments[0].Position);
                    }

                    return call with { Arguments = arguments, Type = type, Statistics = found };
                }

                break;
            case ExpressionFunctions.DatePart:
                _ = DatePartField(arguments[0]);
                RequireOnDemand(call.Function, call.Position);
                if (arguments[1].Type is not ExpressionValueType.Timestamp and not ExpressionValueType.Null)
                {
                    throw new ExpressionException($"date_part() reads a unix_timestamp, but this is a {Describe(arguments[1].Type)}", arguments[1].Position);
                }

                type = ExpressionValueType.Int;
                break;
            case ExpressionFunctions.HashBucket:
                if (arguments[0].Type is not (ExpressionValueType.String or ExpressionValueType.Int or ExpressionValueType.Null))
                {
                    // A float's text differs between .NET and the engines (0.1 vs 0.1000000000000000055...), so its hash would too.
                    throw new ExpressionException($"hash_bucket() hashes a string or an integer, but this is a {Describe(arguments[0].Type)}", arguments[0].Position);
                }

                if (arguments[1] is not LiteralNode { Value: long buckets } || buckets <= 0)
                {
                    throw new ExpressionException("hash_bucket()'s second argument is the number of buckets, a whole number above 0 written out, such as 1000", arguments[1].Position);
                }

                type = ExpressionValueType.Int;
                break;
            default:
                type = Unify(arguments, call);
                break;
        }

        return call with { Arguments = arguments, Type = type };
    }

    /// <summary>date_part's field, a string written out that names one of <see cref="ExpressionFunctions.DateParts"/>, as its index there.</summary>
    internal static int DatePartField(ExpressionNode node)
    {
        var field = (node as LiteralNode)?.Value as string;
        var index = field is null ? -1 : IndexOf(ExpressionFunctions.DateParts, field.ToLowerInvariant());
        if (index < 0)
        {
            var hint = field is not null && Suggestions.Closest(field.ToLowerInvariant(), ExpressionFunctions.DateParts) is { } s ? $" (did you mean '{s}'?)" : "";
            throw new ExpressionException($"date_part()'s first argument is the part to take, one of {string.Join(", ", ExpressionFunctions.DateParts)} written as a string{hint}", node.Position);
        }

        return index;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private ListNode LiteralList(string function, ExpressionNode argument)
    {
        if (function == ExpressionFunctions.Bucketize)
        {
            if (argument is not ListNode boundaries)
            {
                throw new ExpressionException("bucketize()'s second argument is its boundaries, a list such as [0, 10, 100]", argument.Position);
            }

            _ = Boundaries(boundaries);
            return boundaries;
        }

        RequireOnDemand(function, argument.Position);
        if (argument is not ListNode values || values.Items.Count == 0)
        {
            throw new ExpressionException("one_hot()'s second argument is its categories, a list such as [\"a\", \"b\", \"c\"]", argument.Position);
        }

        var seen = new HashSet<object>();
        foreach (var item in values.Items)
        {
            if (item is not LiteralNode { Value: string or long } literal)
            {
                throw new ExpressionException("one_hot()'s categories must be strings or whole numbers written out", item.Position);
            }

            if (!seen.Add(literal.Value!))
            {
                throw new ExpressionException($"one_hot() lists the category {literal.Value} twice", item.Position);
            }
        }

        return values with { Items = [.. values.Items.Select(item => Visit(item))] };
    }

    /// <summary>one_hot's answer type, once its value and categories are of one kind: strings with strings, integers with integers.</summary>
    private static ExpressionValueType OneHotType(List<ExpressionNode> arguments)
    {
        var value = arguments[0];
        var categories = (ListNode)arguments[1];
        var kind = categories.Items[0].Type;
        foreach (var item in categories.Items)
        {
            if (item.Type != kind)
            {
                throw new ExpressionException("one_hot()'s categories mix strings and numbers; they must have one type", item.Position);
            }
        }

        if (value.Type != ExpressionValueType.Null && value.Type != kind)
        {
            throw new ExpressionException($"one_hot() compares a {Describe(value.Type)} with categories that are {Describe(kind)}s", value.Position);
        }

        return ExpressionValueType.IntList;
    }

    private void RequireVector(CallNode call, ExpressionNode node, string what)
    {
        RequireOnDemand(call.Function, call.Position);
        if (node.Type is not ExpressionValueType.FloatList and not ExpressionValueType.Null)
        {
            throw new ExpressionException($"{what} needs a list of floats (an embedding), but this is a {Describe(node.Type)}", node.Position);
        }
    }

    private void RequireOnDemand(string function, int position)
    {
        if (!onDemand)
        {
            throw new ExpressionException($"{function}() is only for on-demand features (lists, timestamps and profile statistics); validation rules read scalar columns", position);
        }
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
                throw new ExpressionException($"{call.Function}() mixes a {Describe(type)} with a {Describe(argument.Type)}; its arguments must have one type", argument.Position);
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
