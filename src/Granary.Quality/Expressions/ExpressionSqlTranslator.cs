using System.Globalization;
using System.Text;

namespace Granary.Quality.Expressions;

/// <summary>
/// Translates a bound expression to DuckDB or PostgreSQL SQL that gives, row for row, the answer
/// <see cref="ExpressionCompiler"/>'s delegate gives: the same types (arithmetic in double precision), the same
/// nulls (division by zero and logarithms outside their domain give NULL rather than an error), ordinal string order.
/// Identifiers are quoted and literals escaped, so no expression can inject SQL.
/// </summary>
internal static class ExpressionSqlTranslator
{
    /// <param name="bound">The expression.</param>
    /// <param name="dialect">The engine.</param>
    /// <param name="qualifier">An alias to put before each column (<c>t</c> gives <c>t."clicks"</c>); null for none.</param>
    public static string Translate(BoundExpression bound, SqlDialect dialect, string? qualifier = null)
    {
        var sql = new StringBuilder();
        new Writer(sql, dialect, qualifier).Emit(bound.Root, bound.Type == ExpressionValueType.Null ? ExpressionValueType.Bool : bound.Type);
        return sql.ToString();
    }

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string QuoteString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The type both sides of a comparison are compared as.</summary>
    internal static ExpressionValueType ComparisonType(ExpressionValueType left, ExpressionValueType right) =>
        left == ExpressionValueType.String || right == ExpressionValueType.String ? ExpressionValueType.String
        : left == ExpressionValueType.Bool || right == ExpressionValueType.Bool ? ExpressionValueType.Bool
        : left == ExpressionValueType.Float || right == ExpressionValueType.Float ? ExpressionValueType.Float
        : ExpressionValueType.Int;

    private readonly struct Writer(StringBuilder sql, SqlDialect dialect, string? qualifier)
    {
        private string TypeName(ExpressionValueType type) => (type, dialect) switch
        {
            (ExpressionValueType.Int, _) => "BIGINT",
            (ExpressionValueType.Float, SqlDialect.DuckDb) => "DOUBLE",
            (ExpressionValueType.Float, _) => "DOUBLE PRECISION",
            (ExpressionValueType.String, SqlDialect.DuckDb) => "VARCHAR",
            (ExpressionValueType.String, _) => "TEXT",
            _ => "BOOLEAN",
        };

        public void Emit(ExpressionNode node, ExpressionValueType target)
        {
            if (node.Type == ExpressionValueType.Null)
            {
                sql.Append("CAST(NULL AS ").Append(TypeName(target == ExpressionValueType.Null ? ExpressionValueType.Bool : target)).Append(')');
                return;
            }

            var widen = node.Type == ExpressionValueType.Int && target == ExpressionValueType.Float
                || node is ColumnNode { Type: ExpressionValueType.Float };
            if (widen)
            {
                sql.Append("CAST(");
            }

            switch (node)
            {
                case LiteralNode literal:
                    Literal(literal.Value!);
                    break;
                case ColumnNode column:
                    if (qualifier is not null)
                    {
                        sql.Append(qualifier).Append('.');
                    }

                    sql.Append(QuoteIdentifier(column.Name));
                    break;
                case UnaryNode unary:
                    Unary(unary);
                    break;
                case BinaryNode binary:
                    Binary(binary);
                    break;
                case CallNode call:
                    Call(call);
                    break;
            }

            if (widen)
            {
                // A float32 column is read as double precision too, as the delegate reads it.
                sql.Append(" AS ").Append(TypeName(ExpressionValueType.Float)).Append(')');
            }
        }

        private void Literal(object value)
        {
            switch (value)
            {
                case long l:
                    sql.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    // Through a string, so the engine parses the same double (a bare 0.1 would be a DECIMAL).
                    sql.Append("CAST(").Append(QuoteString(d.ToString("R", CultureInfo.InvariantCulture))).Append(" AS ").Append(TypeName(ExpressionValueType.Float)).Append(')');
                    break;
                case string s:
                    sql.Append(QuoteString(s));
                    break;
                case bool b:
                    sql.Append(b ? "TRUE" : "FALSE");
                    break;
            }
        }

        private void Unary(UnaryNode unary)
        {
            if (unary.Operator == ExpressionTokenKind.Not)
            {
                sql.Append("(NOT ");
                Emit(unary.Operand, ExpressionValueType.Bool);
            }
            else
            {
                sql.Append("(- ");
                Emit(unary.Operand, unary.Type);
            }

            sql.Append(')');
        }

        private void Binary(BinaryNode binary)
        {
            var op = binary.Operator;
            sql.Append('(');
            if (op is ExpressionTokenKind.And or ExpressionTokenKind.Or)
            {
                Emit(binary.Left, ExpressionValueType.Bool);
                sql.Append(op == ExpressionTokenKind.And ? " AND " : " OR ");
                Emit(binary.Right, ExpressionValueType.Bool);
            }
            else if (op == ExpressionTokenKind.Slash)
            {
                Emit(binary.Left, ExpressionValueType.Float);
                sql.Append(" / NULLIF(");
                Emit(binary.Right, ExpressionValueType.Float);
                sql.Append(", 0)");
            }
            else if (op is ExpressionTokenKind.Plus or ExpressionTokenKind.Minus or ExpressionTokenKind.Star)
            {
                Emit(binary.Left, ExpressionValueType.Float);
                sql.Append(' ').Append(ExpressionBinder.Symbol(op)).Append(' ');
                Emit(binary.Right, ExpressionValueType.Float);
            }
            else
            {
                var common = ComparisonType(binary.Left.Type, binary.Right.Type);
                Emit(binary.Left, common);
                if (common == ExpressionValueType.String && dialect == SqlDialect.PostgreSql)
                {
                    // Code-point order, whatever the database's collation.
                    sql.Append(" COLLATE \"C\"");
                }

                sql.Append(' ').Append(op == ExpressionTokenKind.NotEqual ? "<>" : ExpressionBinder.Symbol(op)).Append(' ');
                Emit(binary.Right, common);
            }

            sql.Append(')');
        }

        private void Bucketize(ExpressionNode value, double[] boundaries)
        {
            sql.Append("CASE WHEN ");
            Emit(value, ExpressionValueType.Float);
            sql.Append(" IS NULL THEN NULL ELSE CAST(");
            for (var i = 0; i < boundaries.Length; i++)
            {
                sql.Append(i == 0 ? "(CASE WHEN " : " + (CASE WHEN ");
                Emit(value, ExpressionValueType.Float);
                sql.Append(" >= ");
                Literal(boundaries[i]);
                sql.Append(" THEN 1 ELSE 0 END)");
            }

            sql.Append(" AS BIGINT) END");
        }

        /// <summary>
        /// The stable hash in SQL: the first 16 hex digits of the SHA-256 of the UTF-8 text, as an unsigned 64-bit
        /// integer, modulo the bucket count. PostgreSQL has no unsigned type, so the signed value is moved into
        /// [0, 2^64) in numeric before the modulo.
        /// </summary>
        private void HashBucket(ExpressionNode value, long buckets)
        {
            var type = value.Type == ExpressionValueType.Null ? ExpressionValueType.String : value.Type;
            var count = buckets.ToString(CultureInfo.InvariantCulture);
            if (dialect == SqlDialect.DuckDb)
            {
                sql.Append("CAST(CAST(('0x' || substr(sha256(CAST(");
                Emit(value, type);
                sql.Append(" AS VARCHAR)), 1, 16)) AS UBIGINT) % ").Append(count).Append(" AS BIGINT)");
                return;
            }

            sql.Append("CAST(mod(mod((('x' || substr(encode(sha256(convert_to(CAST(");
            Emit(value, type);
            sql.Append(" AS TEXT), 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint)::numeric + 18446744073709551616, 18446744073709551616), ")
                .Append(count).Append(") AS BIGINT)");
        }

        private void Call(CallNode call)
        {
            var arguments = call.Arguments;
            switch (call.Function)
            {
                case ExpressionFunctions.Abs:
                    sql.Append("abs(");
                    Emit(arguments[0], call.Type);
                    sql.Append(')');
                    break;
                case ExpressionFunctions.Ln:
                    // CASE yields NULL outside the domain, where the engines would raise an error.
                    sql.Append("ln(CASE WHEN ");
                    Emit(arguments[0], ExpressionValueType.Float);
                    sql.Append(" > 0 THEN ");
                    Emit(arguments[0], ExpressionValueType.Float);
                    sql.Append(" END)");
                    break;
                case ExpressionFunctions.Log1p:
                    sql.Append("ln(CASE WHEN ");
                    Emit(arguments[0], ExpressionValueType.Float);
                    sql.Append(" > -1 THEN 1 + ");
                    Emit(arguments[0], ExpressionValueType.Float);
                    sql.Append(" END)");
                    break;
                case ExpressionFunctions.Clip:
                    // The engines' GREATEST and LEAST skip null bounds, as the delegate does; a null value stays null.
                    sql.Append("CASE WHEN ");
                    Emit(arguments[0], call.Type);
                    sql.Append(" IS NULL THEN NULL ELSE LEAST(GREATEST(");
                    Emit(arguments[0], call.Type);
                    sql.Append(", ");
                    Emit(arguments[1], call.Type);
                    sql.Append("), ");
                    Emit(arguments[2], call.Type);
                    sql.Append(") END");
                    break;
                case ExpressionFunctions.Bucketize:
                    Bucketize(arguments[0], ExpressionBinder.Boundaries((ListNode)arguments[1]));
                    break;
                case ExpressionFunctions.HashBucket:
                    HashBucket(arguments[0], (long)((LiteralNode)arguments[1]).Value!);
                    break;
                case ExpressionFunctions.OneHot or ExpressionFunctions.Dot or ExpressionFunctions.Cosine or ExpressionFunctions.L2Norm or ExpressionFunctions.DatePart or ExpressionFunctions.ZScore or ExpressionFunctions.MinMax:
                    // The binder allows list functions only where expressions run in C# (on-demand features).
                    throw new InvalidOperationException($"{call.Function}() has no SQL translation; only expressions bound without lists are translated.");
                case ExpressionFunctions.IsNull:
                    sql.Append('(');
                    Emit(arguments[0], arguments[0].Type);
                    sql.Append(" IS NULL)");
                    break;
                case ExpressionFunctions.Length:
                    sql.Append("CAST(length(");
                    Emit(arguments[0], ExpressionValueType.String);
                    sql.Append(") AS BIGINT)");
                    break;
                case ExpressionFunctions.Lower:
                    sql.Append("lower(");
                    Emit(arguments[0], ExpressionValueType.String);
                    sql.Append(')');
                    break;
                default:
                    sql.Append("COALESCE(");
                    for (var i = 0; i < arguments.Count; i++)
                    {
                        if (i > 0)
                        {
                            sql.Append(", ");
                        }

                        Emit(arguments[i], call.Type);
                    }

                    sql.Append(')');
                    break;
            }
        }
    }
}
