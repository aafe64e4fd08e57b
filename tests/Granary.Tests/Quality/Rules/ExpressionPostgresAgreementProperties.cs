using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Quality.Expressions;
using Granary.Tests.Infrastructure;
using Granary.Tests.Quality.Validation;
using Npgsql;

namespace Granary.Tests.Quality.Rules;

/// <summary>
/// The random expressions and rows of <see cref="ExpressionEngineAgreementProperties"/> (which holds DuckDB to the
/// compiled delegate) on a real PostgreSQL server: the translated SQL gives, row by row, the delegate's answer, so
/// <c>granary validate</c> on PostgreSQL counts what push and stream ingest reject.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ExpressionPostgresAgreementProperties(PostgresServer server) : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Property(MaxTest = 150)]
    public Property Conditions_agree_with_PostgreSQL() =>
        Prop.ForAll(ExpressionEngineAgreementProperties.Condition(3).ToArbitrary(), Gen.ListOf(ExpressionEngineAgreementProperties.RowGen(), 12).ToArbitrary(), (string text, List<Dictionary<string, object?>> rows) =>
        {
            var bound = BoundExpression.BindCondition(text, ExpressionEngineAgreementProperties.Schema);
            var evaluate = ExpressionCompiler.CompileCondition(bound);
            var engine = Run(ExpressionSqlTranslator.Translate(bound, SqlDialect.PostgreSql), rows);
            var (mineCounts, theirCounts) = (new int[3], new int[3]);
            for (var i = 0; i < rows.Count; i++)
            {
                var mine = evaluate(new ExpressionTestRow(bound, rows[i]));
                var theirs = engine[i] is null ? (bool?)null : (bool)engine[i]!;
                mineCounts[Index(mine)]++;
                theirCounts[Index(theirs)]++;
                if (mine != theirs)
                {
                    return false.Label($"{text} on row {i}: delegate {mine?.ToString() ?? "null"}, PostgreSQL {theirs?.ToString() ?? "null"}");
                }
            }

            return mineCounts.SequenceEqual(theirCounts).Label($"{text}: true/false/null counts {string.Join("/", mineCounts)} and {string.Join("/", theirCounts)}");
        });

    [Property(MaxTest = 150)]
    public Property Numbers_agree_with_PostgreSQL() =>
        Prop.ForAll(ExpressionEngineAgreementProperties.Number(3).ToArbitrary(), Gen.ListOf(ExpressionEngineAgreementProperties.RowGen(), 12).ToArbitrary(), (string text, List<Dictionary<string, object?>> rows) =>
        {
            var bound = BoundExpression.Bind(text, ExpressionEngineAgreementProperties.Schema);
            var engine = Run(ExpressionSqlTranslator.Translate(bound, SqlDialect.PostgreSql), rows);
            return ExpressionEngineAgreementProperties.NumbersAgree(text, bound, rows, engine, "PostgreSQL");
        });

    private static int Index(bool? value) => value switch { true => 0, false => 1, null => 2 };

    /// <summary>The expression's value on each row, computed by PostgreSQL over the rows as a typed VALUES list, in row order.</summary>
    private List<object?> Run(string expressionSql, List<Dictionary<string, object?>> rows)
    {
        var values = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            values.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"({i}, {Sql(r["i1"], "bigint")}, {Sql(r["i2"], "integer")}, {Sql(r["f1"], "double precision")}, {Sql(r["s1"], "text")}, {Sql(r["b1"], "boolean")})");
        }

        var from = rows.Count == 0
            ? "(SELECT 0 AS id, CAST(NULL AS bigint) AS i1, CAST(NULL AS integer) AS i2, CAST(NULL AS double precision) AS f1, CAST(NULL AS text) AS s1, CAST(NULL AS boolean) AS b1 WHERE false) AS t"
            : $"(VALUES {values}) AS t(id, i1, i2, f1, s1, b1)";
        return Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT {expressionSql} FROM {from} ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var result = new List<object?>();
            while (await reader.ReadAsync())
            {
                result.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
            }

            return result;
        }).GetAwaiter().GetResult();
    }

    private static string Sql(object? value, string type) => value switch
    {
        null => $"CAST(NULL AS {type})",
        string s => $"CAST({ExpressionSqlTranslator.QuoteString(s)} AS {type})",
        bool b => b ? "TRUE" : "FALSE",
        double d => $"CAST('{d.ToString("R", CultureInfo.InvariantCulture)}' AS {type})",
        IFormattable f => $"CAST({f.ToString(null, CultureInfo.InvariantCulture)} AS {type})",
        _ => throw new ArgumentException($"No SQL for {value}."),
    };
}
