using System.Diagnostics;
using System.Globalization;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Quality.Expressions;
using Granary.Quality.Rules;
using Npgsql;

namespace Granary.Offline.Postgres;

// Validation rules of a view's source rows (IRuleEvaluator), in one statement (RuleAggregateSql).
internal sealed partial class PostgresOfflineEngine : IRuleEvaluator
{
    public async Task<IReadOnlyList<RuleOutcome>> EvaluateRulesAsync(RuleEvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rules = request.Rules();
        if (rules.Count == 0)
        {
            return [];
        }

        var view = request.View;
        var query = new RuleAggregateSql(rules, view.JoinKeys, view.Source.TimestampField, SqlDialect.PostgreSql);
        var what = $"the validation rules of '{view.View.Name}'";
        var started = Stopwatch.GetTimestamp();

        // Built before connecting: a source that cannot be read here fails without touching the database.
        var sql = query.Statement(RowsSelect(request, query.Columns));
        NpgsqlConnection? connection = null;
        try
        {
            connection = await OpenInUtcAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            if (request.Start is { } start)
            {
                command.Parameters.AddWithValue("start", start.ToUniversalTime());
            }

            if (request.End is { } end)
            {
                command.Parameters.AddWithValue("end", end.ToUniversalTime());
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return query.Read(reader);
        }
        catch (NpgsqlException e)
        {
            throw ComputeFailed(e, what, started);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The view's source rows in [@start, @end), each column under its name in the definitions.</summary>
    private static string RowsSelect(RuleEvaluationRequest request, IReadOnlyList<string> columns)
    {
        var source = request.View.Source;
        string Column(string name) => "s." + PostgresSql.Quote(source.SourceColumnFor(name));
        var eventTime = $"CAST({Column(source.TimestampField)} AS timestamptz)";
        var select = new StringBuilder("SELECT ");
        foreach (var column in columns)
        {
            select.Append(CultureInfo.InvariantCulture, $"{Column(column)} AS {PostgresSql.Quote(column)}, ");
        }

        select.Append(CultureInfo.InvariantCulture, $"{eventTime} AS {RuleAggregateSql.EventColumn}\nFROM {PostgresSql.SourceRelation(source, request.View.View.Name)} AS s\nWHERE {eventTime} IS NOT NULL");
        if (request.Start is not null)
        {
            select.Append(CultureInfo.InvariantCulture, $" AND {eventTime} >= @start");
        }

        if (request.End is not null)
        {
            select.Append(CultureInfo.InvariantCulture, $" AND {eventTime} < @end");
        }

        return select.ToString();
    }
}
