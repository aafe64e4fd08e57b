using DuckDB.NET.Data;
using Granary.Core.Model;

namespace Granary.Tests.Derived;

/// <summary>
/// A derived query's references become common table expressions placed first in the query's own WITH, or in a WITH
/// of their own; the result runs in DuckDB whichever form the query had.
/// </summary>
public sealed class DerivedQueryCommonTablesTests
{
    private const string Inputs = "\"v\" AS (SELECT 1 AS x UNION ALL SELECT 2)";

    [Theory]
    [InlineData("SELECT sum(x) AS s FROM \"v\"", "WITH \"v\" AS (SELECT 1 AS x UNION ALL SELECT 2)\nSELECT sum(x) AS s FROM \"v\"")]
    [InlineData("-- totals\nSELECT sum(x) AS s FROM \"v\"", "-- totals\nWITH \"v\" AS (SELECT 1 AS x UNION ALL SELECT 2)\nSELECT sum(x) AS s FROM \"v\"")]
    [InlineData("with d AS (SELECT x + 0 AS x FROM \"v\") SELECT sum(x) AS s FROM d", "with \"v\" AS (SELECT 1 AS x UNION ALL SELECT 2), d AS (SELECT x + 0 AS x FROM \"v\") SELECT sum(x) AS s FROM d")]
    [InlineData("WITH /* r */ RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT max(x) FROM \"v\")) SELECT sum(i) AS s FROM n", "WITH /* r */ RECURSIVE \"v\" AS (SELECT 1 AS x UNION ALL SELECT 2), n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT max(x) FROM \"v\")) SELECT sum(i) AS s FROM n")]
    [InlineData("SELECT 3 AS s WHERE 'WITH' <> 'without'", "WITH \"v\" AS (SELECT 1 AS x UNION ALL SELECT 2)\nSELECT 3 AS s WHERE 'WITH' <> 'without'")]
    public void The_inputs_come_first_in_the_querys_with_and_the_result_runs(string query, string expected)
    {
        var sql = DerivedQuery.WithCommonTables(query, Inputs);

        Assert.Equal(expected, sql);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT CAST(s AS BIGINT) FROM ({sql}) AS q";
        Assert.Equal(3L, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_word_that_only_starts_with_with_is_not_the_keyword()
    {
        Assert.StartsWith("WITH \"v\"", DerivedQuery.WithCommonTables("WITHIN_TABLE", Inputs), StringComparison.Ordinal);
    }
}
