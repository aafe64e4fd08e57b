using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// Loads a Parquet or CSV entity table into a temp table of a PostgreSQL session: the file reader (see
/// <see cref="DataFiles"/>; PostgreSQL's server cannot read the client's files) streams it row by row into a binary
/// <c>COPY</c>, so neither side holds the file in memory. Each row gets its position in the file
/// (<see cref="PostgresPointInTimeQuery.InputRowColumn"/>), which is what "input order" means afterwards.
/// </summary>
internal static class PostgresEntityLoader
{
    /// <summary>The file's columns, each with the PostgreSQL type it is loaded as.</summary>
    public static IReadOnlyList<EntityColumn> Describe(IEngineFiles files, EntityTable entities) =>
        files.DescribeEntityFile(entities).Select(EntityColumn.For).ToList();

    /// <summary>Creates the temp table on <paramref name="connection"/> and copies the file into it. Returns the rows loaded.</summary>
    public static async Task<long> LoadAsync(
        IEngineFiles files, NpgsqlConnection connection, EntityTable entities, IReadOnlyList<EntityColumn> columns, CancellationToken cancellationToken)
    {
        var table = PostgresPointInTimeQuery.EntityTempTable;
        var rowColumn = PostgresSql.Quote(PostgresPointInTimeQuery.InputRowColumn);
        var definitions = string.Join(", ", columns.Select(c => $"{PostgresSql.Quote(c.Name)} {c.PostgresType}"));
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}; CREATE TEMP TABLE {table} ({definitions}, {rowColumn} bigint)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var file = await files.ReadEntityFileAsync(entities, columns.Select(c => c.File).ToList(), cancellationToken);
        var reader = file.Reader;
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
