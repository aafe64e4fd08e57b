using DuckDB.NET.Data;
using Granary.Core.Sources;

namespace Granary.Offline.DuckDb;

/// <summary>The columns of a relation as DuckDB plans it: <c>DESCRIBE</c> reads no row.</summary>
internal static class DuckDbDescribe
{
    /// <summary>Each column's name and DuckDB type; <see cref="DuckDBException"/> when the relation cannot be planned.</summary>
    public static async Task<List<SourceColumn>> ColumnsAsync(string relation, CancellationToken cancellationToken)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {relation}";
        var columns = new List<SourceColumn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nameOrdinal = reader.GetOrdinal("column_name");
        var typeOrdinal = reader.GetOrdinal("column_type");
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new SourceColumn(reader.GetString(nameOrdinal), reader.GetString(typeOrdinal)));
        }

        return columns;
    }

    /// <summary>The first line of a DuckDB error: what is wrong; the rest repeats the SQL, which the user never wrote.</summary>
    public static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
