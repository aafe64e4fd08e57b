using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Quality.Expressions;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// Random expressions over random rows (a quarter of the cells null): the compiled delegate and DuckDB running the
/// translated SQL give the same answer for every row, so validation in C# (push, stream) and in the engine
/// (materialize, validate) agree.
/// </summary>
public sealed class ExpressionEngineAgreementProperties
{
    internal static readonly Dictionary<string, FeatureType> Schema = new(StringComparer.Ordinal)
    {
        ["i1"] = FeatureType.Int64,
        ["i2"] = FeatureType.Int32,
        ["f1"] = FeatureType.Float64,
        ["s1"] = FeatureType.String,
        ["b1"] = FeatureType.Bool,
    };

    private static readonly string[] Strings = ["", "a", "B", "abc", "Abc", "zz", "O'Neil", "naïve", "日本"];
    private static readonly double[] Floats = [-2.5, -1, -0.5, 0, 0.25, 1, 2, 3.75];

    [Property(MaxTest = 150)]
    public Property Conditions_agree_with_DuckDB() =>
        Prop.ForAll(Condition(3).ToArbitrary(), Gen.ListOf(RowGen(), 12).ToArbitrary(), (string text, List<Dictionary<string, object?>> rows) =>
        {
            var bound = BoundExpression.BindCondition(text, Schema);
            var evaluate = ExpressionCompiler.CompileCondition(bound);
            var engine = RunInDuckDb(ExpressionSqlTranslator.Translate(bound, SqlDialect.DuckDb), rows);
            for (var i = 0; i < rows.Count; i++)
            {
                var mine = evaluate(new ExpressionTestRow(bound, rows[i]));
                var theirs = engine[i] is null ? (bool?)null : (bool)engine[i]!;
                if (mine != theirs)
                {
                    return false.Label($"{text} on row {i}: delegate {mine?.ToString() ?? "null"}, DuckDB {theirs?.ToString() ?? "null"}");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 150)]
    public Property Numbers_agree_with_DuckDB() =>
        Prop.ForAll(Number(3).ToArbitrary(), Gen.ListOf(RowGen(), 12).ToArbitrary(), (string text, List<Dictionary<string, object?>> rows) =>
        {
            var bound = BoundExpression.Bind(text, Schema);
            var engine = RunInDuckDb(ExpressionSqlTranslator.Translate(bound, SqlDialect.DuckDb), rows);
            return NumbersAgree(text, bound, rows, engine, "DuckDB");
        });

    /// <summary>
    /// Whether the compiled delegate of a numeric expression gives, on every row, the engine's value (null for null, and
    /// equal up to rounding in the last digits); labelled with the first row where they differ.
    /// </summary>
    internal static Property NumbersAgree(string text, BoundExpression bound, List<Dictionary<string, object?>> rows, List<object?> engine, string engineName)
    {
        Func<IExpressionRow, double?> evaluate;
        if (bound.Type == ExpressionValueType.Int)
        {
            var integers = ExpressionCompiler.Compile<long?>(bound);
            evaluate = r => integers(r);
        }
        else
        {
            evaluate = ExpressionCompiler.Compile<double?>(bound);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var mine = evaluate(new ExpressionTestRow(bound, rows[i]));
            var theirs = engine[i] is null ? (double?)null : Convert.ToDouble(engine[i], CultureInfo.InvariantCulture);
            var same = mine is null ? theirs is null : theirs is { } t && (mine.Value == t || Math.Abs(mine.Value - t) <= 1e-12 * Math.Max(1, Math.Abs(t)));
            if (!same)
            {
                return false.Label($"{text} on row {i}: delegate {mine?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, {engineName} {theirs?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");
            }
        }

        return true.ToProperty();
    }

    internal static Gen<Dictionary<string, object?>> RowGen() =>
        from i1 in Nullable(Gen.Choose(-5, 5).Select(v => (object)(long)v))
        from i2 in Nullable(Gen.Choose(-5, 5).Select(v => (object)v))
        from f1 in Nullable(Gen.Elements(Floats).Select(v => (object)v))
        from s1 in Nullable(Gen.Elements(Strings).Select(v => (object)v))
        from b1 in Nullable(Gen.Elements(true, false).Select(v => (object)v))
        select new Dictionary<string, object?> { ["i1"] = i1, ["i2"] = i2, ["f1"] = f1, ["s1"] = s1, ["b1"] = b1 };

    private static Gen<object?> Nullable(Gen<object> value) => Gen.Frequency((1, Gen.Constant<object?>(null)), (3, value.Select(v => (object?)v)));

    internal static Gen<string> Condition(int depth)
    {
        var leaves = Gen.OneOf(
            Gen.Elements("b1", "true", "false", "null"),
            Gen.Elements("i1", "f1", "s1", "b1", "null").Select(c => $"is_null({c})"));
        if (depth == 0)
        {
            return leaves;
        }

        var comparison = Gen.Elements("=", "!=", "<", "<=", ">", ">=");
        return Gen.OneOf(
            leaves,
            from op in comparison from a in Number(depth - 1) from b in Number(depth - 1) select $"({a}) {op} ({b})",
            from op in comparison from a in Text(depth - 1) from b in Text(depth - 1) select $"({a}) {op} ({b})",
            from op in Gen.Elements("=", "!=") from a in Condition(depth - 1) from b in Condition(depth - 1) select $"({a}) {op} ({b})",
            from op in Gen.Elements("and", "or") from a in Condition(depth - 1) from b in Condition(depth - 1) select $"({a}) {op} ({b})",
            Condition(depth - 1).Select(a => $"not ({a})"),
            from a in Condition(depth - 1) from b in Condition(depth - 1) select $"coalesce({a}, {b})");
    }

    internal static Gen<string> Number(int depth)
    {
        var leaves = Gen.OneOf(
            Gen.Elements("i1", "i2", "f1", "null", "0", "3", "0.5", "2.5e0"),
            Gen.Choose(-3, 3).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        if (depth == 0)
        {
            return leaves;
        }

        return Gen.OneOf(
            leaves,
            from op in Gen.Elements("+", "-", "*", "/") from a in Number(depth - 1) from b in Number(depth - 1) select $"({a}) {op} ({b})",
            Number(depth - 1).Select(a => $"-({a})"),
            from f in Gen.Elements("abs", "ln", "log1p") from a in Number(depth - 1) select $"{f}({a})",
            from a in Number(depth - 1) from b in Number(depth - 1) select $"coalesce({a}, {b})",
            from a in Number(depth - 1) from b in Number(depth - 1) select $"fill_null({a}, {b})",
            from a in Number(depth - 1) from lo in Gen.Elements("0", "-1", "0.5", "null", "i2") from hi in Gen.Elements("2", "1.5", "-2", "null", "i1") select $"clip({a}, {lo}, {hi})",
            from a in Number(depth - 1) from b in Gen.Elements("[0]", "[-1, 0, 1]", "[-2.5, 0.25, 3]", "[0, 0.5, 1, 2, 100]") select $"bucketize({a}, {b})",
            from a in Gen.OneOf(Text(depth - 1), Gen.Elements("i1", "i2", "3", "-4", "null")) from n in Gen.Elements("1", "7", "1000", "9223372036854775807") select $"hash_bucket({a}, {n})",
            Text(depth - 1).Select(a => $"length({a})"));
    }

    private static Gen<string> Text(int depth)
    {
        var leaves = Gen.OneOf(Gen.Constant("s1"), Gen.Elements(Strings).Select(ExpressionSqlTranslator.QuoteString));
        if (depth == 0)
        {
            return leaves;
        }

        return Gen.OneOf(
            leaves,
            Text(depth - 1).Select(a => $"lower({a})"),
            from a in Text(depth - 1) from b in Text(depth - 1) select $"coalesce({a}, {b})");
    }

    /// <summary>The expression's value on each row, computed by DuckDB, in row order.</summary>
    private static List<object?> RunInDuckDb(string expressionSql, List<Dictionary<string, object?>> rows)
    {
        var sql = new StringBuilder("CREATE TABLE t (id INTEGER, i1 BIGINT, i2 INTEGER, f1 DOUBLE, s1 VARCHAR, b1 BOOLEAN);\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO t VALUES ({i}, {Sql(r["i1"])}, {Sql(r["i2"])}, {Sql(r["f1"])}, {Sql(r["s1"])}, {Sql(r["b1"])});\n");
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = sql.ToString();
            setup.ExecuteNonQuery();
        }

        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {expressionSql} FROM t ORDER BY id";
        using var reader = query.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }

    private static string Sql(object? value) => value switch
    {
        null => "NULL",
        string s => ExpressionSqlTranslator.QuoteString(s),
        bool b => b ? "TRUE" : "FALSE",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No SQL for {value}."),
    };
}
