using System.Globalization;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Quality.Expressions;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// The transform functions against naive references: bucketize counts the boundaries at or below the value, clip
/// holds it within its bounds, and hash_bucket is the documented hash (checked against values Python's hashlib
/// computes for the same text), in the delegate and in DuckDB's SQL.
/// </summary>
public sealed class TransformFunctionTests
{
    private static readonly Dictionary<string, FeatureType> Schema = new(StringComparer.Ordinal)
    {
        ["x"] = FeatureType.Float64,
        ["n"] = FeatureType.Int64,
        ["s"] = FeatureType.String,
    };

    // int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 1000
    [Theory]
    [InlineData("s", "abc", 74)]
    [InlineData("s", "日本", 331)]
    [InlineData("s", "", 652)]
    [InlineData("n", -4L, 209)]
    public void Hash_bucket_is_the_first_8_bytes_of_sha256_of_the_text_big_endian_modulo_the_count(string column, object value, long expected)
    {
        var bound = BoundExpression.Bind($"hash_bucket({column}, 1000)", Schema);
        var cells = new Dictionary<string, object?> { ["x"] = null, ["n"] = column == "n" ? value : null, ["s"] = column == "s" ? value : null };

        var delegateAnswer = ExpressionCompiler.Compile<long?>(bound)(new ExpressionTestRow(bound, cells));
        var literal = value is string text ? ExpressionSqlTranslator.QuoteString(text) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        var duckDbAnswer = DuckDb(ExpressionSqlTranslator.Translate(BoundExpression.Bind($"hash_bucket({literal}, 1000)", Schema), SqlDialect.DuckDb));

        Assert.Equal(expected, delegateAnswer);
        Assert.Equal(expected, duckDbAnswer);
    }

    [Property(MaxTest = 300)]
    public Property Bucketize_counts_the_boundaries_at_or_below_the_value() =>
        Prop.ForAll(
            Gen.Choose(-20, 20).Select(v => v / 4.0).ToArbitrary(),
            Gen.Choose(1, 6).SelectMany(k => Gen.ArrayOf(Gen.Choose(-20, 20), k)).Select(b => b.Distinct().Order().Select(v => v / 4.0).ToArray()).ToArbitrary(),
            (double x, double[] boundaries) =>
            {
                var list = string.Join(", ", boundaries.Select(b => b.ToString("R", CultureInfo.InvariantCulture)));
                var bound = BoundExpression.Bind($"bucketize(x, [{list}])", Schema);
                var answer = ExpressionCompiler.Compile<long?>(bound)(new ExpressionTestRow(bound, new Dictionary<string, object?> { ["x"] = x }));
                return answer == boundaries.Count(b => b <= x);
            });

    [Property(MaxTest = 300)]
    public Property Clip_holds_the_value_within_its_bounds() =>
        Prop.ForAll(Gen.Choose(-10, 10).ToArbitrary(), Gen.Choose(-10, 10).ToArbitrary(), Gen.Choose(-10, 10).ToArbitrary(), (int x, int lo, int hi) =>
        {
            var bound = BoundExpression.Bind($"clip(x, {lo}, {hi})", Schema);
            var answer = ExpressionCompiler.Compile<double?>(bound)(new ExpressionTestRow(bound, new Dictionary<string, object?> { ["x"] = (double)x }));
            var naive = x < lo ? lo : x;
            naive = naive > hi ? hi : naive;
            return answer == naive;
        });

    [Property(MaxTest = 200)]
    public Property Dot_norm_and_cosine_agree_with_their_definitions() =>
        Prop.ForAll(
            Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(-8, 8).Select(v => v / 2f), n)).ToArbitrary(),
            Gen.Choose(1, 4).ToArbitrary(),
            (float[] a, int scale) =>
            {
                var b = a.Select((v, i) => (v * scale) - i).ToArray();
                var vectors = new Dictionary<string, FeatureType> { ["a"] = FeatureType.Float32.AsList(), ["b"] = FeatureType.Float32.AsList() };
                double? Eval(string text, float[] left, float[] right)
                {
                    var bound = BoundExpression.Bind(text, vectors, onDemand: true);
                    return ExpressionCompiler.Compile<double?>(bound)(new ListRow(bound, new Dictionary<string, Array> { ["a"] = left, ["b"] = right }));
                }

                var naiveDot = a.Zip(b, (x, y) => (double)x * y).Sum();
                var naiveNorm = Math.Sqrt(a.Sum(x => (double)x * x));
                var cosine = Eval("cosine(a, b)", a, b);
                var self = Eval("cosine(a, b)", a, a.Select(x => x * scale).ToArray());
                return Eval("dot(a, b)", a, b) == naiveDot
                    && Eval("l2_norm(a)", a, b) == naiveNorm
                    && (naiveNorm == 0 ? cosine is null && self is null : cosine is { } c && Math.Abs(c) <= 1 + 1e-12 && self is { } s && Math.Abs(s - 1) < 1e-12)
                    && Eval("dot(a, b)", a, [1, 2, 3, 4, 5, 6, 7]) is null;
            });

    [Property(MaxTest = 100)]
    public Property Date_part_takes_each_field_in_utc_as_duckdb_does() =>
        Prop.ForAll(
            Gen.Choose(-2_000_000, 2_000_000).Select(minutes => (minutes * 60_000_000L) + 123_456).ToArbitrary(),
            (long micros) =>
            {
                var schema = new Dictionary<string, FeatureType> { ["ts"] = FeatureType.UnixTimestamp };
                foreach (var field in ExpressionFunctions.DateParts)
                {
                    var bound = BoundExpression.Bind($"date_part('{field}', ts)", schema, onDemand: true);
                    var mine = ExpressionCompiler.Compile<long?>(bound)(new TimestampRow(micros));
                    var theirs = DuckDb($"CAST(date_part('{field}', make_timestamp({micros})) AS BIGINT)");
                    if (mine != theirs)
                    {
                        return false.Label($"{field} of {micros}: delegate {mine}, DuckDB {theirs}");
                    }
                }

                return true.ToProperty();
            });

    [Fact]
    public void Null_values_stay_null_and_null_bounds_are_no_bound()
    {
        var row = new Dictionary<string, object?> { ["x"] = null, ["n"] = 7L, ["s"] = null };
        long? Int(string text)
        {
            var bound = BoundExpression.Bind(text, Schema);
            return ExpressionCompiler.Compile<long?>(bound)(new ExpressionTestRow(bound, row));
        }

        double? Float(string text)
        {
            var bound = BoundExpression.Bind(text, Schema);
            return ExpressionCompiler.Compile<double?>(bound)(new ExpressionTestRow(bound, row));
        }

        Assert.Null(Int("bucketize(x, [0])"));
        Assert.Null(Int("hash_bucket(s, 10)"));
        Assert.Null(Float("clip(x, 1, 2)"));
        Assert.Equal(7, Int("clip(n, null, 9)"));
        Assert.Equal(5, Int("clip(n, 1, 5)"));
        Assert.Equal(7.0, Float("fill_null(x, n)"));
    }

    /// <summary>A row of one timestamp column.</summary>
    private sealed class TimestampRow(long micros) : IExpressionRow
    {
        public bool IsNull(int ordinal) => false;

        public long GetInt64(int ordinal) => throw new InvalidOperationException();

        public double GetDouble(int ordinal) => throw new InvalidOperationException();

        public string GetString(int ordinal) => throw new InvalidOperationException();

        public bool GetBoolean(int ordinal) => throw new InvalidOperationException();

        public long GetTimestampMicros(int ordinal) => micros;
    }

    /// <summary>A row of list columns only.</summary>
    private sealed class ListRow(BoundExpression bound, Dictionary<string, Array> cells) : IExpressionRow
    {
        public bool IsNull(int ordinal) => false;

        public long GetInt64(int ordinal) => throw new InvalidOperationException();

        public double GetDouble(int ordinal) => throw new InvalidOperationException();

        public string GetString(int ordinal) => throw new InvalidOperationException();

        public bool GetBoolean(int ordinal) => throw new InvalidOperationException();

        public Array GetList(int ordinal) => cells[bound.Columns[ordinal].Name];
    }

    private static long? DuckDb(string expressionSql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {expressionSql}";
        var value = query.ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
