using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// Loads a Parquet or CSV entity table into a temp table of a PostgreSQL session: DuckDB reads the file and streams
/// it row by row into a binary <c>COPY</c>, so neither side holds the file in memory. Each row gets its position in
/// the file (<see cref="PostgresPointInTimeQuery.InputRowColumn"/>), which is what "input order" means afterwards.
/// </summary>
internal static class PostgresEntityLoader
{
    /// <summary>The file's columns as DuckDB reads them, each with the PostgreSQL type it is loaded as.</summary>
    public static IReadOnlyList<EntityColumn> Describe(EntityTable entities)
    {
        // Synchronous on purpose: Explain needs the columns, and DESCRIBE reads only the file's metadata.
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {DuckDbSql.ReadFunction(entities.Format, entities.Text)}";
        var columns = new List<EntityColumn>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(EntityColumn.For(reader.GetString(reader.GetOrdinal("column_name")), reader.GetString(reader.GetOrdinal("column_type"))));
            }
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Entity table {entities.Description} cannot be read: {e.Message.Split('\n')[0]}", e);
        }

        // A missing event_timestamp or a reserved column name is reported by EntityTableCheck before anything runs.
        return columns;
    }

    /// <summary>Creates the temp table on <paramref name="connection"/> and copies the file into it. Returns the rows loaded.</summary>
    public static async Task<long> LoadAsync(
        NpgsqlConnection connection, EntityTable entities, IReadOnlyList<EntityColumn> columns, CancellationToken cancellationToken)
    {
        var table = PostgresPointInTimeQuery.EntityTempTable;
        var rowColumn = PostgresSql.Quote(PostgresPointInTimeQuery.InputRowColumn);
        var definitions = string.Join(", ", columns.Select(c => $"{PostgresSql.Quote(c.Name)} {c.PostgresType}"));
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}; CREATE TEMP TABLE {table} ({definitions}, {rowColumn} bigint)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var duck = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await using var select = duck.CreateCommand();
        select.CommandText = $"SELECT {string.Join(", ", columns.Select(c => c.DuckDbSelect))} FROM {DuckDbSql.ReadFunction(entities.Format, entities.Text)}";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var names = string.Join(", ", columns.Select(c => PostgresSql.Quote(c.Name)).Append(rowColumn));
        long rows = 0;
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                await writer.StartRowAsync(cancellationToken);
                for (var i = 0; i < columns.Count; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await writer.WriteAsync(columns[i].Convert(reader.GetValue(i)), columns[i].DbType, cancellationToken);
                    }
                }

                await writer.WriteAsync(++rows, NpgsqlDbType.Bigint, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Temp tables are never analyzed automatically; without statistics the planner guesses the entity count.
        await using var analyze = new NpgsqlCommand($"ANALYZE {table}", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
        return rows;
    }
}
