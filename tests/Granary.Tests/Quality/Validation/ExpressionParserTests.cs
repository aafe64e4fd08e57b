using Granary.Core.Model;
using Granary.Quality.Expressions;

namespace Granary.Tests.Quality.Validation;

/// <summary>Mistakes in an expression are refused with what is wrong and the column where it is.</summary>
public sealed class ExpressionParserTests
{
    private static readonly Dictionary<string, FeatureType> Schema = new(StringComparer.Ordinal)
    {
        ["clicks"] = FeatureType.Int64,
        ["impressions"] = FeatureType.Int64,
        ["ctr"] = FeatureType.Float64,
        ["country"] = FeatureType.String,
        ["active"] = FeatureType.Bool,
        ["embedding"] = FeatureType.Float32.AsList(),
        ["seen"] = FeatureType.UnixTimestamp,
    };

    [Theory]
    [InlineData("clicks <= ", 11, "Expected a value")]
    [InlineData("clicks <= impressions)", 22, "Unexpected ')'")]
    [InlineData("(clicks + 1", 12, "')' to close the '(' at column 1")]
    [InlineData("country = \"US", 11, "no closing quote (\")")]
    [InlineData("bucketize(ctr, [0, 1) > 0", 21, "',' or ']' to close the '[' at column 16")]
    [InlineData("country = 'US", 11, "no closing quote")]
    [InlineData("clicks && impressions", 8, "write 'and' or 'or'")]
    [InlineData("0 < ctr < 1", 9, "Comparisons do not chain")]
    [InlineData("sqrt(ctr) > 0", 1, "Unknown function 'sqrt'")]
    [InlineData("abs(ctr, 1) > 0", 1, "abs takes one argument, not 2")]
    [InlineData("clicks > 1e", 10, "exponent without digits")]
    [InlineData("clicks > 99999999999999999999", 10, "too large for int64")]
    [InlineData("", 1, "empty")]
    public void Syntax_errors_name_the_column(string text, int column, string problem)
    {
        var e = Assert.Throws<ExpressionException>(() => BoundExpression.BindCondition(text, Schema));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal(column, e.Column);
        Assert.Contains($"at column {column}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clciks <= impressions", 1, "Unknown column 'clciks' (did you mean 'clicks'?)")]
    [InlineData("country > 1", 9, "compares a string with a integer")]
    [InlineData("active < true", 8, "bools compare only with = and !=")]
    [InlineData("clicks and active", 1, "'and' needs a condition, but this is a integer")]
    [InlineData("not ctr", 5, "'not' needs a condition, but this is a float")]
    [InlineData("length(clicks) > 2", 8, "length() needs a string, but this is a integer")]
    [InlineData("ln(country) > 0", 4, "ln() needs a number, but this is a string")]
    [InlineData("coalesce(clicks, country) > 0", 18, "coalesce() mixes a integer with a string")]
    [InlineData("embedding > 0", 1, "Column 'embedding' is list<float32>")]
    [InlineData("clicks + impressions", 1, "not a condition")]
    [InlineData("bucketize(ctr, 10) > 0", 16, "its boundaries, a list such as [0, 10, 100]")]
    [InlineData("bucketize(ctr, [0, 10, 5]) > 0", 24, "must ascend strictly, but 5 follows 10")]
    [InlineData("bucketize(ctr, [0, clicks]) > 0", 20, "must be numbers written out")]
    [InlineData("bucketize(ctr, []) > 0", 16, "at least one boundary")]
    [InlineData("[1, 2] = 1", 1, "only an argument of bucketize")]
    [InlineData("hash_bucket(ctr, 10) > 0", 13, "hashes a string or an integer, but this is a float")]
    [InlineData("hash_bucket(country, 0) > 0", 22, "the number of buckets, a whole number above 0")]
    [InlineData("hash_bucket(country, clicks) > 0", 22, "the number of buckets")]
    [InlineData("clip(country, 0, 1) > 0", 6, "clip() needs a number, but this is a string")]
    [InlineData("fill_null(clicks, country) > 0", 19, "fill_null() mixes a integer with a string")]
    [InlineData("l2_norm(ctr) > 0", 1, "is only for on-demand features")]
    public void Type_errors_name_the_column(string text, int column, string problem)
    {
        var e = Assert.Throws<ExpressionException>(() => BoundExpression.BindCondition(text, Schema));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal(column, e.Column);
    }

    [Theory]
    [InlineData("dot(ctr, embedding)", 5, "dot() needs a list of floats (an embedding), but this is a float")]
    [InlineData("one_hot(country, [\"a\", 1])", 24, "categories mix strings and numbers")]
    [InlineData("one_hot(country, [\"a\", \"a\"])", 24, "lists the category a twice")]
    [InlineData("one_hot(clicks, [\"a\"])", 9, "compares a integer with categories that are strings")]
    [InlineData("one_hot(country, [ctr])", 19, "strings or whole numbers written out")]
    [InlineData("one_hot(country, \"a\")", 18, "its categories, a list such as")]
    [InlineData("embedding > 0", 11, "compares a list of floats with a integer")]
    [InlineData("date_part('hours', seen)", 11, "one of year, month, day, hour, minute, second, dow, doy written as a string (did you mean 'hour'?)")]
    [InlineData("date_part(country, seen)", 11, "the part to take")]
    [InlineData("date_part('hour', clicks)", 19, "date_part() reads a unix_timestamp, but this is a integer")]
    [InlineData("seen > 0", 6, "compares a timestamp with a integer")]
    [InlineData("zscore(ctr)", 8, "scales a source feature (view.feature) by its view's stored profile")]
    [InlineData("minmax(clicks + 1)", 15, "its argument is one, not an expression")]
    public void List_mistakes_in_on_demand_expressions_name_the_column(string text, int column, string problem)
    {
        var e = Assert.Throws<ExpressionException>(() => BoundExpression.Bind(text, Schema, onDemand: true));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public void A_double_quoted_string_is_the_same_string_as_a_single_quoted_one()
    {
        var doubled = BoundExpression.BindCondition("country = \"O'Neil \"\"Jr\"\"\"", Schema);
        var single = BoundExpression.BindCondition("country = 'O''Neil \"Jr\"'", Schema);

        Assert.Equal(((LiteralNode)((BinaryNode)single.Root).Right).Value, ((LiteralNode)((BinaryNode)doubled.Root).Right).Value);
        Assert.Equal("O'Neil \"Jr\"", ((LiteralNode)((BinaryNode)doubled.Root).Right).Value);
    }

    [Fact]
    public void Keywords_are_case_insensitive_and_columns_are_collected_once()
    {
        var bound = BoundExpression.BindCondition("clicks <= impressions AND NOT is_null(clicks) Or FALSE", Schema);
        Assert.Equal(["clicks", "impressions"], bound.Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("clicks <= impressions", 3L, 5L, true)]
    [InlineData("clicks <= impressions", 6L, 5L, false)]
    [InlineData("clicks <= impressions", null, 5L, null)]
    [InlineData("is_null(clicks) or clicks <= impressions", null, 5L, true)]
    [InlineData("impressions > 10 and clicks <= impressions", null, 5L, false)]
    [InlineData("clicks / impressions > 0", 1L, 0L, null)]
    [InlineData("coalesce(clicks, 0) = 0", null, 0L, true)]
    public void Conditions_follow_three_valued_logic(string text, long? clicks, long? impressions, bool? expected)
    {
        var bound = BoundExpression.BindCondition(text, Schema);
        var evaluate = ExpressionCompiler.CompileCondition(bound);
        var row = new ExpressionTestRow(bound, new Dictionary<string, object?> { ["clicks"] = clicks, ["impressions"] = impressions });
        Assert.Equal(expected, evaluate(row));
    }

    [Fact]
    public void Translation_quotes_identifiers_and_escapes_literals()
    {
        var schema = new Dictionary<string, FeatureType>(StringComparer.Ordinal) { ["country"] = FeatureType.String };
        var bound = BoundExpression.BindCondition("country != 'x''); DROP TABLE t; --'", schema);
        var sql = ExpressionSqlTranslator.Translate(bound, SqlDialect.DuckDb);
        Assert.Equal("(\"country\" <> 'x''); DROP TABLE t; --')", sql);
        Assert.Equal("(\"country\" COLLATE \"C\" <> 'x''); DROP TABLE t; --')", ExpressionSqlTranslator.Translate(bound, SqlDialect.PostgreSql));
    }
}
