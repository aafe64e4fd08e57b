using System.Linq.Expressions;
using System.Reflection;

namespace Granary.Quality.Expressions;

/// <summary>
/// Compiles a bound expression to a delegate through System.Linq.Expressions, once: each row then runs straight IL,
/// reading cells through <see cref="IExpressionRow"/>'s typed getters. Values are nullable (<c>long?</c>,
/// <c>double?</c>, <c>string</c>, <c>bool?</c>) and nulls follow SQL's three-valued logic, exactly as
/// <see cref="ExpressionSqlTranslator"/>'s SQL does in the engines.
/// </summary>
internal static class ExpressionCompiler
{
    private static readonly MethodInfo IsNullMethod = typeof(IExpressionRow).GetMethod(nameof(IExpressionRow.IsNull))!;
    private static readonly ParameterExpression Row = Expression.Parameter(typeof(IExpressionRow), "row");

    /// <summary>A condition's delegate: true, false, or null (unknown) for a row.</summary>
    public static Func<IExpressionRow, bool?> CompileCondition(BoundExpression bound) => Compile<bool?>(bound);

    /// <summary>A delegate computing the expression; <typeparamref name="TResult"/> must be its CLR type (see <see cref="ClrType"/>).</summary>
    public static Func<IExpressionRow, TResult> Compile<TResult>(BoundExpression bound)
    {
        // The literal null alone (or an expression of nothing else) fits whichever type is asked for.
        var type = bound.Type == ExpressionValueType.Null ? ValueTypeOf(typeof(TResult)) : bound.Type;
        if (ClrType(type) != typeof(TResult))
        {
            throw new ArgumentException($"The expression '{bound.Text}' computes a {ExpressionBinder.Describe(type)}, not a {ExpressionBinder.Describe(ValueTypeOf(typeof(TResult)))}.", nameof(TResult));
        }

        var body = Emit(bound.Root, type);
        return Expression.Lambda<Func<IExpressionRow, TResult>>(body, Row).Compile();
    }

    public static Type ClrType(ExpressionValueType type) => type switch
    {
        ExpressionValueType.Int => typeof(long?),
        ExpressionValueType.Float => typeof(double?),
        ExpressionValueType.String => typeof(string),
        ExpressionValueType.Bool => typeof(bool?),
        ExpressionValueType.FloatList => typeof(Array),
        ExpressionValueType.IntList => typeof(int[]),
        ExpressionValueType.Timestamp => typeof(long?),
        _ => typeof(object),
    };

    private static ExpressionValueType ValueTypeOf(Type type) =>
        type == typeof(long?) ? ExpressionValueType.Int
        : type == typeof(double?) ? ExpressionValueType.Float
        : type == typeof(string) ? ExpressionValueType.String
        : type == typeof(Array) ? ExpressionValueType.FloatList
        : type == typeof(int[]) ? ExpressionValueType.IntList
        : ExpressionValueType.Bool;

    /// <summary>The node's value as <paramref name="target"/> (its own type, or float for an integer, or any type for null).</summary>
    private static Expression Emit(ExpressionNode node, ExpressionValueType target)
    {
        if (node.Type == ExpressionValueType.Null)
        {
            // Only null itself has type null (the literal, or a coalesce of nulls): the value is always null.
            return Expression.Constant(null, ClrType(target == ExpressionValueType.Null ? ExpressionValueType.Bool : target));
        }

        var value = node switch
        {
            LiteralNode literal => Expression.Constant(literal.Value, ClrType(literal.Type)),
            ColumnNode column => Column(column),
            UnaryNode unary => Unary(unary),
            BinaryNode binary => Binary(binary),
            CallNode call => Call(call),
            _ => throw new InvalidOperationException($"Unknown expression node {node.GetType().Name}."),
        };
        return node.Type == ExpressionValueType.Int && target == ExpressionValueType.Float
            ? Expression.Convert(value, typeof(double?))
            : value;
    }

    private static ConditionalExpression Column(ColumnNode column)
    {
        var ordinal = Expression.Constant(column.Ordinal);
        var getter = column.Type switch
        {
            ExpressionValueType.Int => nameof(IExpressionRow.GetInt64),
            ExpressionValueType.Float => nameof(IExpressionRow.GetDouble),
            ExpressionValueType.String => nameof(IExpressionRow.GetString),
            ExpressionValueType.FloatList => nameof(IExpressionRow.GetList),
            ExpressionValueType.Timestamp => nameof(IExpressionRow.GetTimestampMicros),
            _ => nameof(IExpressionRow.GetBoolean),
        };
        var type = ClrType(column.Type);
        var read = Expression.Call(Row, typeof(IExpressionRow).GetMethod(getter)!, ordinal);
        return Expression.Condition(
            Expression.Call(Row, IsNullMethod, ordinal),
            Expression.Constant(null, type),
            read.Type == type ? read : Expression.Convert(read, type));
    }

    private static Expression Unary(UnaryNode unary) => unary.Operator == ExpressionTokenKind.Not
        ? Runtime(nameof(ExpressionRuntime.Not), Emit(unary.Operand, ExpressionValueType.Bool))
        : Expression.Negate(Emit(unary.Operand, unary.Type));

    private static Expression Binary(BinaryNode binary)
    {
        switch (binary.Operator)
        {
            case ExpressionTokenKind.And or ExpressionTokenKind.Or:
                var name = binary.Operator == ExpressionTokenKind.And ? nameof(ExpressionRuntime.And) : nameof(ExpressionRuntime.Or);
                return Runtime(name, Emit(binary.Left, ExpressionValueType.Bool), Emit(binary.Right, ExpressionValueType.Bool));
            case ExpressionTokenKind.Plus:
                return Expression.Add(Emit(binary.Left, ExpressionValueType.Float), Emit(binary.Right, ExpressionValueType.Float));
            case ExpressionTokenKind.Minus:
                return Expression.Subtract(Emit(binary.Left, ExpressionValueType.Float), Emit(binary.Right, ExpressionValueType.Float));
            case ExpressionTokenKind.Star:
                return Expression.Multiply(Emit(binary.Left, ExpressionValueType.Float), Emit(binary.Right, ExpressionValueType.Float));
            case ExpressionTokenKind.Slash:
                return Runtime(nameof(ExpressionRuntime.Divide), Emit(binary.Left, ExpressionValueType.Float), Emit(binary.Right, ExpressionValueType.Float));
            default:
                return Comparison(binary);
        }
    }

    private static BinaryExpression Comparison(BinaryNode binary)
    {
        var common = ExpressionSqlTranslator.ComparisonType(binary.Left.Type, binary.Right.Type);
        var left = Emit(binary.Left, common);
        var right = Emit(binary.Right, common);
        if (common == ExpressionValueType.String)
        {
            left = Runtime(nameof(ExpressionRuntime.Compare), left, right);
            right = Expression.Constant(0, typeof(int?));
        }

        return binary.Operator switch
        {
            ExpressionTokenKind.Equal => Expression.Equal(left, right, liftToNull: true, method: null),
            ExpressionTokenKind.NotEqual => Expression.NotEqual(left, right, liftToNull: true, method: null),
            ExpressionTokenKind.Less => Expression.LessThan(left, right, liftToNull: true, method: null),
            ExpressionTokenKind.LessOrEqual => Expression.LessThanOrEqual(left, right, liftToNull: true, method: null),
            ExpressionTokenKind.Greater => Expression.GreaterThan(left, right, liftToNull: true, method: null),
            _ => Expression.GreaterThanOrEqual(left, right, liftToNull: true, method: null),
        };
    }

    private static Expression Call(CallNode call)
    {
        var arguments = call.Arguments;
        switch (call.Function)
        {
            case ExpressionFunctions.Abs:
                return Runtime(nameof(ExpressionRuntime.Abs), Emit(arguments[0], call.Type));
            case ExpressionFunctions.Ln:
                return Runtime(nameof(ExpressionRuntime.Ln), Emit(arguments[0], ExpressionValueType.Float));
            case ExpressionFunctions.Log1p:
                return Runtime(nameof(ExpressionRuntime.Log1p), Emit(arguments[0], ExpressionValueType.Float));
            case ExpressionFunctions.Length:
                return Runtime(nameof(ExpressionRuntime.Length), Emit(arguments[0], ExpressionValueType.String));
            case ExpressionFunctions.Lower:
                return Runtime(nameof(ExpressionRuntime.Lower), Emit(arguments[0], ExpressionValueType.String));
            case ExpressionFunctions.Clip:
                return Runtime(nameof(ExpressionRuntime.Clip), Emit(arguments[0], call.Type), Emit(arguments[1], call.Type), Emit(arguments[2], call.Type));
            case ExpressionFunctions.Bucketize:
                return Runtime(nameof(ExpressionRuntime.Bucketize), Emit(arguments[0], ExpressionValueType.Float), Expression.Constant(ExpressionBinder.Boundaries((ListNode)arguments[1])));
            case ExpressionFunctions.HashBucket:
                var hashed = arguments[0].Type == ExpressionValueType.Null ? ExpressionValueType.String : arguments[0].Type;
                return Runtime(nameof(ExpressionRuntime.HashBucket), Emit(arguments[0], hashed), Expression.Constant((long)((LiteralNode)arguments[1]).Value!));
            case ExpressionFunctions.OneHot:
                var categories = (ListNode)arguments[1];
                var kind = categories.Items[0].Type;
                var items = new object?[categories.Items.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ((LiteralNode)categories.Items[i]).Value;
                }

                Expression table = kind == ExpressionValueType.String
                    ? Expression.Constant(Array.ConvertAll(items, v => (string)v!))
                    : Expression.Constant(Array.ConvertAll(items, v => (long)v!));
                return Runtime(nameof(ExpressionRuntime.OneHot), Emit(arguments[0], kind), table);
            case ExpressionFunctions.Dot:
                return Runtime(nameof(ExpressionRuntime.Dot), Emit(arguments[0], ExpressionValueType.FloatList), Emit(arguments[1], ExpressionValueType.FloatList));
            case ExpressionFunctions.Cosine:
                return Runtime(nameof(ExpressionRuntime.Cosine), Emit(arguments[0], ExpressionValueType.FloatList), Emit(arguments[1], ExpressionValueType.FloatList));
            case ExpressionFunctions.L2Norm:
                return Runtime(nameof(ExpressionRuntime.L2Norm), Emit(arguments[0], ExpressionValueType.FloatList));
            case ExpressionFunctions.ZScore or ExpressionFunctions.MinMax:
                var stats = call.Statistics ?? throw new InvalidOperationException($"{call.Function}() was bound without statistics and cannot be compiled.");
                return call.Function == ExpressionFunctions.ZScore
                    ? Runtime(nameof(ExpressionRuntime.ZScore), Emit(arguments[0], ExpressionValueType.Float), Expression.Constant(stats.Mean, typeof(double?)), Expression.Constant(stats.StdDev, typeof(double?)))
                    : Runtime(nameof(ExpressionRuntime.MinMax), Emit(arguments[0], ExpressionValueType.Float), Expression.Constant(stats.Min, typeof(double?)), Expression.Constant(stats.Max, typeof(double?)));
            case ExpressionFunctions.DatePart:
                return Runtime(nameof(ExpressionRuntime.DatePart), Emit(arguments[1], ExpressionValueType.Timestamp), Expression.Constant(ExpressionBinder.DatePartField(arguments[0])));
            case ExpressionFunctions.IsNull:
                var operand = Emit(arguments[0], arguments[0].Type);
                return Expression.Convert(Expression.Equal(operand, Expression.Constant(null, operand.Type)), typeof(bool?));
            default:
                var result = Emit(arguments[^1], call.Type);
                for (var i = arguments.Count - 2; i >= 0; i--)
                {
                    result = Expression.Coalesce(Emit(arguments[i], call.Type), result);
                }

                return result;
        }
    }

    private static MethodCallExpression Runtime(string name, params Expression[] arguments)
    {
        var types = new Type[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            types[i] = arguments[i].Type;
        }

        var method = typeof(ExpressionRuntime).GetMethod(name, types)
            ?? throw new InvalidOperationException($"ExpressionRuntime has no {name} for these arguments.");
        return Expression.Call(method, arguments);
    }
}
