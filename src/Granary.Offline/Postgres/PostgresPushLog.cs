using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// Appends pushed rows to a PostgreSQL table source in one statement: the rows travel as one JSON array and
/// <c>json_populate_recordset</c> casts each value to the table's own column type, so every row lands or none does.
/// </summary>
internal static class PostgresPushLog
{
    public static async Task AppendAsync(NpgsqlDataSource dataSource, PostgresSource source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken)
    {
        if (source.Table is not { Length: > 0 } table)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Source '{source.Name}' is a query; pushed rows can be logged to a table source only.");
        }

        // Source column names: the definitions' names mapped back through field_mapping.
        var names = columns.Keys.Select(source.SourceColumnFor).ToList();
        var json = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, rows).Select(r =>
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            var i = 0;
            foreach (var values in columns.Values)
            {
                row[names[i++]] = values[r] is DateTimeOffset d ? d.ToUniversalTime() : values[r];
            }

            return row;
        }), PushJsonContext.Default.IEnumerableDictionaryStringObject);
        var relation = PostgresSql.QualifiedName(table);
        var list = string.Join(", ", names.Select(PostgresSql.Quote));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"INSERT INTO {relation} ({list}) SELECT {list} FROM json_populate_recordset(NULL::{relation}, @rows)", connection);
            command.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Json) { Value = System.Text.Encoding.UTF8.GetString(json) });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (EngineFailures.Classify(e) is not (EngineFailureKind.Unavailable or EngineFailureKind.Timeout))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Pushed rows do not fit table {table} of source '{source.Name}': {e.MessageText}.", e);
        }
        catch (NpgsqlException e) when (PostgresOfflineEngine.Classified(e, $"logging pushed rows to table {table} of source '{source.Name}'") is { } unavailable)
        {
            // A database that is gone (refusing, reset, not answering) is the store's outage, not the rows' fault.
            throw unavailable;
        }
    }
}
