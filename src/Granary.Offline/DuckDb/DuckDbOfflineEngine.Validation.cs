using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Quality.Expressions;
using Granary.Quality.Rules;

namespace Granary.Offline.DuckDb;

// Validation rules of a view's source rows (IRuleEvaluator), in one statement (RuleAggregateSql).
internal sealed partial class DuckDbOfflineEngine : IRuleEvaluator
{
    public async Task<IReadOnlyList<RuleOutcome>> EvaluateRulesAsync(RuleEvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { RepositoryRoot = Root(request.RepositoryRoot) };
        var rules = request.Rules();
        if (rules.Count == 0)
        {
            return [];
        }

        var view = request.View;
        var query = new RuleAggregateSql(rules, view.JoinKeys, view.Source.TimestampField, SqlDialect.DuckDb);
        var sql = query.Statement(RowsSelect(request, query.Columns));
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await DuckDbHistoricalRetrieval.SetUtcAsync(connection, cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return query.Read(reader);
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(
                EngineFailures.OfDuckDb(e.ErrorType) == EngineFailureKind.Unavailable ? ErrorCodes.SourceUnavailable : ErrorCodes.InvalidArgument,
                $"DuckDB cannot evaluate the validation rules of '{view.View.Name}' on source '{view.Source.Name}': {e.Message.Split('\n')[0]}",
                e);
        }
    }

    /// <summary>The view's source rows (with its logged pushes) in the period, each column under its name in the definitions.</summary>
    private static string RowsSelect(RuleEvaluationRequest request, IReadOnlyList<string> columns)
    {
        var view = request.View;
        var source = view.Source;
        var readFunction = new DuckDbViewSourceSql(view, request.RepositoryRoot).ReadFunction;
        var eventTime = $"CAST({DuckDbSql.Quote(source.SourceColumnFor(source.TimestampField))} AS TIMESTAMPTZ)";
        var select = new StringBuilder("SELECT ");
        foreach (var column in columns)
        {
            select.Append(CultureInfo.InvariantCulture, $"{DuckDbSql.Quote(source.SourceColumnFor(column))} AS {DuckDbSql.Quote(column)}, ");
        }

        select.Append(CultureInfo.InvariantCulture, $"{eventTime} AS {RuleAggregateSql.EventColumn}\nFROM {readFunction}\nWHERE {eventTime} IS NOT NULL");
        if (request.Start is { } start)
        {
            select.Append(CultureInfo.InvariantCulture, $" AND {eventTime} >= {Timestamp(start)}");
        }

        if (request.End is { } end)
        {
            select.Append(CultureInfo.InvariantCulture, $" AND {eventTime} < {Timestamp(end)}");
        }

        return select.ToString();
    }

    private static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMPTZ {DuckDbSql.Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}";
}
