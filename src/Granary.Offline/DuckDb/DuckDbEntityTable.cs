using System.Globalization;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Core.Sources;

namespace Granary.Offline.DuckDb;

/// <summary>
/// What DuckDB knows about an entity table before the retrieval runs: its columns (without reading rows) and, for a
/// text column, the first value that does not convert, for <see cref="EntityTableCheck"/>.
/// </summary>
internal static class DuckDbEntityTable
{
    /// <summary>Describes the entity table and checks it against <paramref name="request"/>.</summary>
    public static async Task CheckAsync(DuckDBConnection connection, PointInTimeRequest request, ISourceSchemaInspector sources, CancellationToken cancellationToken)
    {
        var columns = await DescribeAsync(connection, request.Entities, cancellationToken);
        await new EntityTableCheck(request, columns).CheckAsync(sources, ProbeFor(connection, request.Entities), cancellationToken);
    }

    public static async Task<IReadOnlyList<SourceColumn>> DescribeAsync(DuckDBConnection connection, EntityTable entities, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {DuckDbPointInTimeQuery.EntityRelation(entities)}";
        var columns = new List<SourceColumn>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var name = reader.GetOrdinal("column_name");
            var type = reader.GetOrdinal("column_type");
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new SourceColumn(reader.GetString(name), reader.GetString(type)));
            }
        }
        catch (DuckDBException e)
        {
            // The user's own SQL or file: DuckDB's first line says what is wrong with it, and names nothing of ours.
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The entity table ({entities.Description}) cannot be read by DuckDB: {DuckDbDescribe.FirstLine(e.Message)}", e);
        }

        return columns;
    }

    /// <summary>A probe reading <paramref name="entities"/> in DuckDB, whichever engine joins it.</summary>
    public static EntityTableCheck.Probe ProbeFor(DuckDBConnection connection, EntityTable entities) =>
        async (column, convertTo, cancellationToken) =>
        {
            var type = convertTo switch
            {
                ColumnKind.Timestamp => "TIMESTAMPTZ",
                ColumnKind.Int64 => "BIGINT",
                _ => "DOUBLE",
            };
            var quoted = DuckDbSql.Quote(column);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT n, CAST(v AS VARCHAR) FROM (
                    SELECT row_number() OVER () AS n, {quoted} AS v FROM {DuckDbPointInTimeQuery.EntityRelation(entities)})
                WHERE v IS NOT NULL AND TRY_CAST(v AS {type}) IS NULL
                ORDER BY n LIMIT 1
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new EntityTableCheck.BadValue(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1))
                : null;
        };
}
